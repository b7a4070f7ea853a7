// The clip maker: choose words on the transcript (mouse drag, Shift-click, touch selection
// or the keyboard), widen or narrow the clip by a word or a second at either end, preview
// exactly the clip with its captions, and make it. Without this script the page's form
// (first and last word) does the same.

const box = document.querySelector("[data-clip-maker]");
const player = document.getElementById(box.dataset.player);
const list = box.querySelector("#clip-words");
const words = Array.from(list.querySelectorAll("[role=option]"));
const times = words.map((w) => ({ start: Number(w.dataset.start), end: Number(w.dataset.end) }));
const duration = () => (Number.isFinite(player.duration) && player.duration) || Number(box.dataset.duration) || times[times.length - 1].end;
const status = box.querySelector("#clip-status");
const form = box.querySelector("#clip-form");
const fields = {
  start: form.querySelector("#clip-start"), end: form.querySelector("#clip-end"),
  first: form.querySelector("#clip-first"), last: form.querySelector("#clip-last"),
};

// The chosen words (anchor and focus, as in a text selection) and the clip's times, which
// start and end on those words until moved by a second.
let anchor = null;
let focus = 0;
let clip = null;

function wordRange() {
  if (anchor === null) return null;
  return [Math.min(anchor, focus), Math.max(anchor, focus)];
}

function choose(from, to, { keepTimes = false } = {}) {
  anchor = from;
  focus = to;
  const [first, last] = wordRange();
  if (!keepTimes) clip = { start: times[first].start, end: times[last].end };
  render();
}

function wordsInside() {
  if (!clip) return [];
  return words.filter((w, i) => clip.start <= (times[i].start + times[i].end) / 2 && (times[i].start + times[i].end) / 2 <= clip.end);
}

function stamp(seconds) {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${(seconds - minutes * 60).toFixed(1).padStart(4, "0")}`;
}

function render() {
  const inside = new Set(wordsInside());
  words.forEach((w, i) => {
    w.setAttribute("aria-selected", inside.has(w) ? "true" : "false");
    w.tabIndex = i === focus ? 0 : -1;
  });
  if (!clip) {
    status.textContent = "No words chosen yet.";
    return;
  }
  const chosen = Array.from(inside).map((w) => w.textContent);
  const shown = chosen.length > 12 ? `${chosen.slice(0, 6).join(" ")} … ${chosen.slice(-4).join(" ")}` : chosen.join(" ");
  status.textContent = `Clip from ${stamp(clip.start)} to ${stamp(clip.end)} (${(clip.end - clip.start).toFixed(1)} seconds): “${shown}”`;
  fields.start.value = clip.start.toFixed(3);
  fields.end.value = clip.end.toFixed(3);
  const [first, last] = wordRange();
  fields.first.value = String(first);
  fields.last.value = String(last);
}

function moveFocus(index, extend) {
  const next = Math.max(0, Math.min(words.length - 1, index));
  if (extend && anchor !== null) choose(anchor, next);
  else choose(next, next);
  words[next].focus();
}

list.addEventListener("keydown", (event) => {
  const keys = { ArrowRight: focus + 1, ArrowDown: focus + 1, ArrowLeft: focus - 1, ArrowUp: focus - 1, Home: 0, End: words.length - 1 };
  if (event.key in keys) {
    event.preventDefault();
    moveFocus(keys[event.key], event.shiftKey);
  } else if (event.key === "Enter") {
    event.preventDefault();
    if (!clip) choose(focus, focus);
    form.requestSubmit();
  } else if (event.key === " ") {
    event.preventDefault();
    choose(focus, focus);
  } else if (event.key === "p" || event.key === "P") {
    event.preventDefault();
    preview();
  }
});

list.addEventListener("focusin", (event) => {
  const word = event.target.closest("[role=option]");
  if (word) focus = Number(word.dataset.index);
});

// Mouse and pen: press on a word and drag to another (or click one, Shift-click another).
// Touch: tap a word, or use the browser's own text selection; either becomes the choice.
let dragging = false;
const wordAt = (x, y) => document.elementFromPoint(x, y)?.closest?.("#clip-words [role=option]");

list.addEventListener("pointerdown", (event) => {
  const word = event.target.closest("[role=option]");
  if (!word || event.pointerType === "touch" || event.button !== 0) return;
  event.preventDefault();  // our own selection, not the browser's text selection
  const index = Number(word.dataset.index);
  if (event.shiftKey && anchor !== null) choose(anchor, index);
  else choose(index, index);
  dragging = true;
  word.focus();
});
document.addEventListener("pointermove", (event) => {
  if (!dragging) return;
  const word = wordAt(event.clientX, event.clientY);
  if (word && Number(word.dataset.index) !== focus) choose(anchor, Number(word.dataset.index));
});
document.addEventListener("pointerup", () => {
  if (!dragging) return;
  dragging = false;
  words[focus].focus();
});
list.addEventListener("click", (event) => {
  const word = event.target.closest("[role=option]");
  if (!word || event.pointerType === "mouse" || !document.getSelection().isCollapsed) return;
  choose(Number(word.dataset.index), Number(word.dataset.index));
});

function selectedWords() {
  const selection = document.getSelection();
  if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
  const range = selection.getRangeAt(0);
  if (!list.contains(range.commonAncestorContainer)) return null;
  const touched = words.filter((w) => range.intersectsNode(w.firstChild || w));
  if (!touched.length) return null;
  return [Number(touched[0].dataset.index), Number(touched[touched.length - 1].dataset.index)];
}

document.addEventListener("selectionchange", () => {
  const found = selectedWords();
  if (found) choose(found[0], found[1]);
});

// Widen or narrow by a word (to the next word's edge) or by a second.
function adjust(end, by, step) {
  if (!clip) return;
  if (by === "second") {
    const moved = clip[end] + step;
    clip[end] = Math.max(0, Math.min(duration(), moved));
    if (clip.end - clip.start < 0.3) clip[end] -= step;
  } else {
    let [first, last] = wordRange();
    if (end === "start") first = Math.max(0, Math.min(last, first + step));
    else last = Math.min(words.length - 1, Math.max(first, last + step));
    anchor = first;
    focus = last;
    clip[end] = end === "start" ? times[first].start : times[last].end;
  }
  render();
}

box.querySelectorAll("[data-adjust]").forEach((button) => {
  button.addEventListener("click", () => adjust(button.dataset.adjust, button.dataset.by, Number(button.dataset.step)));
});

// Preview exactly the clip: from its start, stopped at its end, captions showing.
let stopAt = null;
function watchEnd() {
  if (stopAt === null) return;
  if (player.currentTime >= stopAt || player.paused) {
    if (!player.paused) player.pause();
    if (player.currentTime > stopAt) player.currentTime = stopAt;
    stopAt = null;
    return;
  }
  requestAnimationFrame(watchEnd);
}

function preview() {
  if (!clip) return;
  for (const track of player.textTracks) track.mode = "showing";
  const start = () => {
    player.currentTime = clip.start;
    stopAt = clip.end;
    player.play().then(() => requestAnimationFrame(watchEnd)).catch(() => { stopAt = null; });
  };
  if (player.readyState >= 1) start(); else player.addEventListener("loadedmetadata", start, { once: true });
}
box.querySelector("[data-preview]").addEventListener("click", preview);

form.addEventListener("submit", (event) => {
  if (!clip) {
    event.preventDefault();
    status.textContent = "Choose at least one word first.";
  }
});

// With the script, the word list replaces the fallback's word menus.
box.querySelectorAll(".clip-maker__fallback").forEach((el) => { el.hidden = true; });
box.querySelector("#clip-controls").hidden = false;
box.querySelector("#clip-keys").hidden = false;
words.forEach((w) => { w.tabIndex = -1; });
if (words.length) words[0].tabIndex = 0;
const preset = [Number(fields.first.value), Number(fields.last.value)];
if (new URLSearchParams(window.location.search).has("start") && preset.every(Number.isFinite)) choose(preset[0], preset[1]);
