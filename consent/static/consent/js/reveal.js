// Progressive enhancement: show only the questions that belong to the chosen answer.
// Without this script every question shows. A radio names its questions' element with
// data-reveals; GOV.UK Frontend's class hides it. (GOV.UK Frontend's own conditional radios
// set aria-expanded on the radio, which ARIA does not allow there: axe-core refuses it.)
// A static file, no inline script: the site's Content-Security-Policy forbids inline code.
for (const group of document.querySelectorAll("[data-reveal-group]")) {
  const radios = [...group.querySelectorAll('input[type="radio"]')];
  const update = () => {
    for (const radio of radios) {
      const target = radio.dataset.reveals && document.getElementById(radio.dataset.reveals);
      if (target) target.classList.toggle("govuk-radios__conditional--hidden", !radio.checked);
    }
  };
  radios.forEach((radio) => radio.addEventListener("change", update));
  update();
}
