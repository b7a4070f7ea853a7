// Fields that apply only after a choice (a made-up name once "a pseudonym" is chosen, a
// guardian once "under 18" is ticked) are hidden until that choice is made. Without this
// script every field is shown, and the form works the same.
//   <div data-shown-when="naming:full first"> ... </div>
export function initShownWhen(root = document) {
  const groups = [...root.querySelectorAll("[data-shown-when]")];
  const update = () => {
    for (const group of groups) {
      const [name, values] = group.dataset.shownWhen.split(":");
      const wanted = values.split(" ");
      const chosen = [...root.querySelectorAll(`input[name="${name}"]:checked`)].some((input) =>
        wanted.includes(input.value),
      );
      // A field with an error message is never hidden.
      group.hidden = !chosen && !group.classList.contains("govuk-form-group--error");
    }
  };
  root.addEventListener("change", update);
  update();
}
