// The interactive transcript: highlight the passage and the word being played, seek when a
// time is chosen, start at #t=MM:SS (or H:MM:SS, or plain seconds) from the address, play
// just a shared moment from #t=START,END, switch between the original and its translation,
// and make a link to a moment from selected words or from where the player is paused.

function parseTime(value) {
  const parts = String(value).split(":").map(Number);
  if (!parts.length || parts.some(Number.isNaN)) return null;
  return parts.reduce((total, part) => total * 60 + part, 0);
}

// {start, end} from #t=75 or #t=1:15 (end null), or #t=75.2,78.9 (a moment).
function momentFromHash() {
  const match = /[#&]t=([0-9:.]+)(?:,([0-9:.]+))?/.exec(window.location.hash);
  if (!match) return null;
  const start = parseTime(match[1]);
  const end = match[2] === undefined ? null : parseTime(match[2]);
  if (start === null) return null;
  return { start, end: end !== null && end > start ? end : null };
}

function seek(player, seconds) {
  const go = () => { player.currentTime = seconds; };
  // Before metadata arrives, setting currentTime is ignored by some browsers.
  if (player.readyState >= 1) go(); else player.addEventListener("loadedmetadata", go, { once: true });
}

function timed(element) {
  return { element, start: Number(element.dataset.start), end: Number(element.dataset.end) };
}

// Marks one of `items` current (class and, for passages, aria-current) as the time moves.
function follower(className, withAria) {
  let current = null;
  return (items, t) => {
    const found = items.find((item) => t >= item.start && t < item.end) || null;
    if (found === current) return;
    if (current) {
      current.element.classList.remove(className);
      if (withAria) current.element.removeAttribute("aria-current");
    }
    if (found) {
      found.element.classList.add(className);
      if (withAria) found.element.setAttribute("aria-current", "true");
    }
    current = found;
  };
}

function languageSwitch(box, versions, player, onChange) {
  const name = `${box.dataset.transcriptFor}-language`;
  const fieldset = document.createElement("fieldset");
  fieldset.className = "govuk-fieldset transcript__languages";
  const legend = document.createElement("legend");
  legend.className = "govuk-fieldset__legend govuk-fieldset__legend--s";
  legend.textContent = "Show the transcript in";
  const radios = document.createElement("div");
  radios.className = "govuk-radios govuk-radios--small govuk-radios--inline";
  fieldset.append(legend, radios);
  versions.forEach((version, index) => {
    const item = document.createElement("div");
    item.className = "govuk-radios__item";
    const input = document.createElement("input");
    Object.assign(input, { type: "radio", name, id: `${name}-${index}`, value: String(index), className: "govuk-radios__input" });
    input.checked = index === 0;
    const label = document.createElement("label");
    label.className = "govuk-label govuk-radios__label";
    label.htmlFor = input.id;
    label.textContent = version.dataset.label;
    item.append(input, label);
    radios.append(item);
  });
  const choose = (index) => {
    versions.forEach((version, i) => { version.hidden = i !== index; });
    const chosen = versions[index];
    // Captions follow the transcript's language when captions are on.
    const tracks = Array.from(player.textTracks || []);
    if (tracks.some((track) => track.mode !== "disabled")) {
      const label = chosen.dataset.label;
      const match = tracks.find((track) => track.label === label)
        || tracks.find((track) => track.language === chosen.dataset.language);
      if (match) {
        tracks.forEach((track) => { if (track !== match) track.mode = "disabled"; });
        match.mode = "showing";
      }
    }
    onChange(chosen);
  };
  radios.addEventListener("change", (event) => choose(Number(event.target.value)));
  versions[0].before(fieldset);
  versions.forEach((version) => {
    const heading = version.querySelector(".transcript__version-heading");
    if (heading) heading.classList.add("govuk-visually-hidden");  // the switch names it
  });
  choose(0);
}

function shareMoment(box, player, wordsOf) {
  const panel = box.querySelector(".transcript__share");
  if (!panel) return;
  const make = panel.querySelector(".transcript__share-make");
  const result = panel.querySelector(".transcript__share-result");
  const link = panel.querySelector(".transcript__share-link");
  const copy = panel.querySelector(".transcript__share-copy");
  const status = panel.querySelector(".transcript__share-status");
  panel.hidden = false;

  const selectedWords = () => {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return [];
    const range = selection.getRangeAt(0);
    return wordsOf().filter((word) => range.intersectsNode(word.element));
  };
  // The passage the player is in (or the one it paused after): a moment by keyboard alone.
  const passageAtPlayer = () => {
    const t = player.currentTime;
    const passages = Array.from(box.querySelectorAll(".transcript__version:not([hidden]) .transcript__passage")).map(timed);
    return passages.find((p) => t >= p.start && t < p.end) || passages.filter((p) => p.start <= t).pop() || passages[0];
  };
  const format = (seconds) => String(Math.round(seconds * 10) / 10);

  make.addEventListener("click", () => {
    const words = selectedWords();
    const moment = words.length
      ? { start: words[0].start, end: words[words.length - 1].end }
      : passageAtPlayer();
    if (!moment) return;
    const address = new URL(window.location.href);
    address.hash = `t=${format(moment.start)},${format(moment.end)}`;
    link.value = address.toString();
    result.hidden = false;
    status.textContent = words.length
      ? `Link made to the ${words.length} selected word${words.length === 1 ? "" : "s"}.`
      : "Link made to the passage at the player's position.";
    link.focus();
    link.select();
  });
  copy.addEventListener("click", async () => {
    link.select();
    try {
      await navigator.clipboard.writeText(link.value);
      status.textContent = "Link copied.";
    } catch {
      // Clipboard access needs a secure page; the link is selected for copying by hand.
      status.textContent = "Your browser did not let the page copy. The link is selected: copy it yourself.";
    }
  });
}

function enhance(box) {
  const player = document.getElementById(box.dataset.transcriptFor);
  if (!player) return null;
  const versions = Array.from(box.querySelectorAll(".transcript__version"));
  let shown = versions[0];
  let passages = [];
  let words = [];
  const read = (version) => {
    shown = version;
    passages = Array.from(version.querySelectorAll(".transcript__passage")).map(timed);
    words = Array.from(version.querySelectorAll(".transcript__word")).map(timed);
  };
  read(shown);
  const markPassage = follower("transcript__passage--current", true);
  const markWord = follower("transcript__word--current", false);
  const update = () => {
    markPassage(passages, player.currentTime);
    markWord(words, player.currentTime);
  };
  if (versions.length > 1) languageSwitch(box, versions, player, (version) => { read(version); update(); });
  player.addEventListener("timeupdate", update);
  player.addEventListener("seeked", update);

  box.addEventListener("click", (event) => {
    const link = event.target.closest(".transcript__time");
    if (!link) return;
    event.preventDefault();
    const seconds = parseTime(link.getAttribute("href").slice(3));
    history.replaceState(null, "", link.getAttribute("href"));
    seek(player, seconds);
    player.play().catch(() => {});  // autoplay rules may refuse; the position is still set
  });

  let stopAt = null;
  player.addEventListener("timeupdate", () => {
    if (stopAt !== null && player.currentTime >= stopAt) {
      stopAt = null;
      player.pause();  // the end of a shared moment, as media fragments #t=start,end mean
    }
  });
  const playMoment = (moment) => {
    box.querySelectorAll(".transcript__word--moment").forEach((w) => w.classList.remove("transcript__word--moment"));
    seek(player, moment.start);
    stopAt = moment.end;
    if (moment.end === null) return;
    const inside = words.filter((w) => w.start >= moment.start - 0.05 && w.end <= moment.end + 0.05);
    inside.forEach((w) => w.element.classList.add("transcript__word--moment"));
    if (inside.length) inside[0].element.closest(".transcript__passage").scrollIntoView({ block: "nearest" });
  };

  if (box.hasAttribute("data-shareable")) shareMoment(box, player, () => words);
  return { player, playMoment };
}

const transcripts = Array.from(document.querySelectorAll("[data-transcript-for]")).map(enhance).filter(Boolean);
const first = transcripts[0];
const start = momentFromHash();
if (first && start !== null) first.playMoment(start);
window.addEventListener("hashchange", () => {
  const moment = momentFromHash();
  if (first && moment !== null) first.playMoment(moment);
});
