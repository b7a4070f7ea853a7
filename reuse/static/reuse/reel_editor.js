// The reel editor: "Move up" and "Move down" save without reloading, keep focus on the
// button pressed and announce the new place; items can also be dragged into place.
// Without this script the same buttons post their forms and the page reloads.

const list = document.querySelector("[data-reel-editor]");
const announce = document.getElementById("reel-announce");
const csrf = list.querySelector("input[name=csrfmiddlewaretoken]")?.value
  || document.querySelector("input[name=csrfmiddlewaretoken]")?.value;

const items = () => Array.from(list.querySelectorAll(":scope > [data-item-id]"));
const labelOf = (li) => li.dataset.label;

async function save(data) {
  const body = new URLSearchParams(data);
  body.set("csrfmiddlewaretoken", csrf);
  const response = await fetch(list.dataset.url, {
    method: "POST", body, headers: { Accept: "application/json" }, credentials: "same-origin",
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error || "The change could not be saved. Reload the page and try again.");
  return answer;
}

function say(text) {
  // Cleared first, so the same words said twice are still read out.
  announce.textContent = "";
  window.setTimeout(() => { announce.textContent = text; }, 50);
}

function place(li) {
  return `${items().indexOf(li) + 1} of ${items().length}`;
}

list.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-move]");
  if (!button) return;
  event.preventDefault();
  const li = button.closest("[data-item-id]");
  const step = Number(button.dataset.move);
  const all = items();
  const index = all.indexOf(li);
  const target = index + step;
  if (target < 0 || target >= all.length) {
    say(`“${labelOf(li)}” is already ${step < 0 ? "first" : "last"}.`);
    return;
  }
  try {
    await save({ action: step < 0 ? "up" : "down", item: li.dataset.itemId });
  } catch (error) {
    say(error.message);
    return;
  }
  if (step < 0) list.insertBefore(li, all[target]);
  else list.insertBefore(li, all[target].nextSibling);
  button.focus();
  say(`Moved “${labelOf(li)}” to place ${place(li)}.`);
});

// Drag and drop, for a mouse or a pen.
let dragged = null;
items().forEach((li) => { li.draggable = true; });
list.addEventListener("dragstart", (event) => {
  dragged = event.target.closest("[data-item-id]");
  if (!dragged) return;
  dragged.classList.add("reel-item--dragging");
  event.dataTransfer.effectAllowed = "move";
  event.dataTransfer.setData("text/plain", dragged.dataset.itemId);
});
list.addEventListener("dragover", (event) => {
  const over = event.target.closest("[data-item-id]");
  if (!dragged || !over) return;
  event.preventDefault();
  items().forEach((li) => li.classList.toggle("reel-item--drop-before", li === over && li !== dragged));
});
list.addEventListener("dragend", () => {
  items().forEach((li) => li.classList.remove("reel-item--drop-before", "reel-item--dragging"));
  dragged = null;
});
list.addEventListener("drop", async (event) => {
  const over = event.target.closest("[data-item-id]");
  if (!dragged || !over || over === dragged) return;
  event.preventDefault();
  const moved = dragged;
  const before = items().indexOf(over) < items().indexOf(moved) ? over : over.nextSibling;
  list.insertBefore(moved, before);
  try {
    await save({ action: "reorder", order: items().map((li) => li.dataset.itemId).join(",") });
    say(`Moved “${labelOf(moved)}” to place ${place(moved)}.`);
  } catch (error) {
    say(error.message);
  }
});
