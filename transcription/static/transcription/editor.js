// The transcript editor (issue 14): the current word highlighted while playing, words that
// seek when chosen, keyboard shortcuts, word selection for redaction with a preview of the
// silence, and Ctrl+Enter to save. A plain module: the CSP allows no inline scripts.
const root = document.querySelector("[data-editor]");
const media = document.getElementById("editor-media");

if (root && media) {
  const words = Array.from(root.querySelectorAll(".transcript-editor__word"));
  const texts = Array.from(root.querySelectorAll("[data-editor-text]"));
  const clock = root.querySelector("[data-editor-clock]");
  const rateShown = root.querySelector("[data-editor-rate]");
  const selectionNote = document.getElementById("editor-selection");
  const firstField = root.querySelector("[data-editor-first]");
  const lastField = root.querySelector("[data-editor-last]");
  const reason = document.getElementById("redact-reason");
  const RATES = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];
  let anchor = null;
  let focusIndex = 0;
  let selection = null; // [from, to] indexes into words
  let preview = null;
  let current = null;

  const timeOf = (el, name) => parseFloat(el.dataset[name]);
  // m:ss.s, as transcription.models.timecode writes it for editors.
  const timecode = (seconds) => {
    const tenths = Math.round(Math.max(seconds, 0) * 10);
    const hours = Math.floor(tenths / 36000);
    const minutes = Math.floor((tenths % 36000) / 600);
    const rest = tenths % 600;
    const secs = String(Math.floor(rest / 10)).padStart(2, "0");
    const clockText = `${minutes}:${secs}.${rest % 10}`;
    return hours ? `${hours}:${clockText.padStart(7, "0")}` : clockText;
  };

  const seek = (seconds) => {
    media.currentTime = Math.max(0, Math.min(seconds, media.duration || seconds));
  };
  const toggle = () => (media.paused ? media.play() : media.pause());
  const setRate = (step) => {
    const index = RATES.indexOf(media.playbackRate);
    const next = RATES[Math.max(0, Math.min(RATES.length - 1, (index < 0 ? 2 : index) + step))];
    media.playbackRate = next;
    rateShown.textContent = String(next);
  };

  // The word being spoken, highlighted; checked every frame so short words are not missed.
  const highlight = () => {
    const t = media.currentTime;
    clock.textContent = timecode(t);
    if (playhead && media.duration) {
      const x = (t / media.duration) * wave.viewBox.baseVal.width;
      playhead.setAttribute("x1", String(x));
      playhead.setAttribute("x2", String(x));
    }
    const now = words.find((w) => timeOf(w, "start") <= t && t < timeOf(w, "end")) || null;
    if (now !== current) {
      if (current) current.classList.remove("is-current");
      if (now) {
        now.classList.add("is-current");
        const typing = document.activeElement && document.activeElement.matches("textarea, input");
        if (!typing && !media.paused) now.scrollIntoView({ block: "nearest" });
      }
      current = now;
    }
    if (preview) runPreview(t);
    if (!media.paused) requestAnimationFrame(highlight);
  };
  // The waveform (audio only): the playhead follows; a click plays from that place.
  const wave = root.querySelector("[data-editor-wave]");
  const playhead = wave && wave.querySelector("[data-editor-playhead]");
  if (wave) {
    wave.addEventListener("click", (event) => {
      const box = wave.getBoundingClientRect();
      if (media.duration) seek(((event.clientX - box.left) / box.width) * media.duration);
    });
  }
  media.addEventListener("play", () => requestAnimationFrame(highlight));
  media.addEventListener("seeked", highlight);

  // Words: one tab stop for all of them; arrows move, Shift+arrows select.
  const focusWord = (index) => {
    focusIndex = Math.max(0, Math.min(words.length - 1, index));
    words.forEach((w, i) => (w.tabIndex = i === focusIndex ? 0 : -1));
    if (words[focusIndex]) words[focusIndex].focus();
  };
  const select = (from, to) => {
    selection = from === null ? null : [Math.min(from, to), Math.max(from, to)];
    words.forEach((w, i) => {
      const on = selection !== null && i >= selection[0] && i <= selection[1];
      w.setAttribute("aria-pressed", on ? "true" : "false");
    });
    describeSelection();
  };
  // The span the server will silence: the words' own times, clipped at the neighbours.
  const span = () => {
    const [i, j] = selection;
    let start = timeOf(words[i], "start");
    let end = timeOf(words[j], "end");
    if (i > 0) start = Math.max(start, timeOf(words[i - 1], "end"));
    if (j + 1 < words.length) end = Math.min(end, timeOf(words[j + 1], "start"));
    return [start, end];
  };
  const describeSelection = () => {
    if (!selection) {
      firstField.value = lastField.value = "";
      selectionNote.textContent = "No words selected. Select words in the transcript with Shift and the arrow keys, or Shift+click.";
      return;
    }
    const chosen = words.slice(selection[0], selection[1] + 1);
    const [start, end] = span();
    firstField.value = chosen[0].dataset.word;
    lastField.value = chosen[chosen.length - 1].dataset.word;
    const text = chosen.map((w) => w.firstChild.textContent).join(" ");
    selectionNote.textContent = `Selected “${text}”, ${timecode(start)}–${timecode(end)} (${chosen.length} word${chosen.length > 1 ? "s" : ""}).`;
  };
  if (words.length) words[0].tabIndex = 0;
  words.forEach((word, index) => {
    word.addEventListener("click", (event) => {
      if (event.shiftKey) {
        select(anchor === null ? index : anchor, index);
      } else {
        anchor = index;
        seek(timeOf(word, "start"));
      }
      focusWord(index);
    });
    word.addEventListener("keydown", (event) => {
      const moves = { ArrowRight: 1, ArrowLeft: -1, Home: -words.length, End: words.length };
      if (!(event.key in moves) || event.altKey || event.ctrlKey) return;
      event.preventDefault();
      const next = Math.max(0, Math.min(words.length - 1, index + moves[event.key]));
      if (event.shiftKey) {
        if (anchor === null || !selection) anchor = index;
        select(anchor, next);
      } else {
        anchor = next;
      }
      focusWord(next);
    });
  });

  // Preview: from 1.5 s before to 1.5 s after, the selected span muted.
  const runPreview = (t) => {
    media.muted = t >= preview.start && t < preview.end;
    if (media.muted && !root.dataset.mutedAt) root.dataset.mutedAt = t.toFixed(3);
    if (t >= preview.stop) {
      media.pause();
      media.muted = false;
      preview = null;
      root.dataset.previewed = "true";
    }
  };
  root.querySelector("[data-editor-preview]").addEventListener("click", () => {
    if (!selection) {
      selectionNote.textContent = "Select the words first, then preview the silence.";
      return;
    }
    const [start, end] = span();
    preview = { start, end, stop: end + 1.5 };
    delete root.dataset.mutedAt;
    delete root.dataset.previewed;
    seek(Math.max(0, start - 1.5));
    media.play();
  });

  // The segment around the keyboard focus (or the one named in the address).
  const currentSegment = () => {
    const here = document.activeElement && document.activeElement.closest("[data-segment]");
    return here || document.getElementById(location.hash.slice(1)) || root.querySelector("[data-segment]");
  };
  const moveSegment = (step) => {
    const segment = currentSegment();
    const text = segment && segment.querySelector("[data-editor-text]");
    const index = texts.indexOf(text);
    const target = texts[Math.max(0, Math.min(texts.length - 1, index + step))];
    if (target) {
      target.focus();
      target.closest("[data-segment]").scrollIntoView({ block: "nearest" });
    }
  };

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" || (event.ctrlKey && event.code === "Space")) {
      event.preventDefault();
      toggle();
      return;
    }
    if (event.ctrlKey && event.key === "Enter") {
      const form = event.target.closest && event.target.closest("[data-segment-form]");
      if (form) {
        event.preventDefault();
        form.requestSubmit(form.querySelector("button[value=save]"));
      }
      return;
    }
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    const actions = {
      KeyK: toggle,
      KeyJ: () => seek(media.currentTime - 5),
      KeyL: () => seek(media.currentTime + 5),
      Comma: () => setRate(-1),
      Period: () => setRate(1),
      KeyN: () => moveSegment(document.activeElement.matches("[data-editor-text]") ? 1 : 0),
      KeyP: () => moveSegment(-1),
      KeyW: () => {
        const first = currentSegment().querySelector(".transcript-editor__word");
        if (first) focusWord(words.indexOf(first));
      },
      KeyR: () => reason.focus(),
    };
    if (actions[event.code]) {
      event.preventDefault();
      actions[event.code]();
    }
  });

  // Split at the cursor: the server is told where the cursor is in the text box.
  root.querySelectorAll("[data-segment-form]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      const text = form.querySelector("[data-editor-text]");
      form.querySelector("[data-editor-caret]").value = String(text.selectionStart);
    });
  });

  // After a save the page comes back at the segment: carry on typing there.
  // After the admin's own scripts have set up the page (they place the focus on load).
  const back = location.hash && document.getElementById(location.hash.slice(1));
  const returnFocus = () => {
    if (back && back.matches("[data-segment]")) back.querySelector("[data-editor-text]").focus();
    if (back && back.id === "redactions") reason.focus();
  };
  if (document.readyState === "complete") setTimeout(returnFocus, 0);
  else window.addEventListener("load", () => setTimeout(returnFocus, 0));
}
