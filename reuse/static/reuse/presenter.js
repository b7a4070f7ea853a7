// The presenter: one item at a time, keyboard controls, caption size, full screen, and every
// clip's media and captions fetched into memory (blob: URLs) on load, so the session goes on
// when the room's network drops. Without this script the reel is one long page of players.

const items = Array.from(document.querySelectorAll(".presenter__item"));
const status = document.getElementById("presenter-status");
const body = document.body;
let current = 0;
let cueSize = 3;

function say(text) {
  status.textContent = text;
}

function videoOf(index) {
  return items[index]?.querySelector("video") || null;
}

function titleOf(index) {
  return items[index].querySelector(".presenter__label")?.textContent.trim() || "";
}

function show(index, { announce = true } = {}) {
  if (!items.length) return;
  current = Math.max(0, Math.min(items.length - 1, index));
  items.forEach((item, i) => {
    item.hidden = i !== current;
    const video = videoOf(i);
    if (video && i !== current && !video.paused) video.pause();
  });
  if (announce) say(`${current + 1} of ${items.length}: ${titleOf(current)}`);
}

function toggle() {
  const video = videoOf(current);
  if (!video) return;
  if (video.paused) video.play().catch(() => say("The clip could not play."));
  else video.pause();
}

function resize(step) {
  cueSize = Math.max(1, Math.min(5, cueSize + step));
  body.className = body.className.replace(/presenter--cues-\d/, `presenter--cues-${cueSize}`);
  say(`Caption size ${cueSize} of 5.`);
}

function fullscreen() {
  if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  else document.documentElement.requestFullscreen().catch(() => say("Full screen is not available here."));
}

const commands = {
  next: () => show(current + 1),
  previous: () => show(current - 1),
  toggle,
  larger: () => resize(1),
  smaller: () => resize(-1),
  fullscreen,
};

const keys = {
  ArrowRight: "next", PageDown: "next", n: "next", N: "next",
  ArrowLeft: "previous", PageUp: "previous", p: "previous", P: "previous",
  k: "toggle", K: "toggle", " ": "toggle",
  "+": "larger", "=": "larger", "-": "smaller", _: "smaller",
  f: "fullscreen", F: "fullscreen",
};

document.addEventListener("keydown", (event) => {
  const command = keys[event.key];
  if (!command || event.ctrlKey || event.metaKey || event.altKey) return;
  // Space and arrows keep their own meaning on buttons, links and the player's controls.
  const own = event.target.closest?.("button, a, video, input, select, textarea");
  if (own && (event.key === " " || event.key.startsWith("Arrow"))) return;
  event.preventDefault();
  commands[command]();
});

document.querySelectorAll("[data-command]").forEach((button) => {
  button.addEventListener("click", () => commands[button.dataset.command]());
});

// Offline once loaded: fetch each clip and its captions into memory and play from there.
async function blobUrl(url, type) {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`${response.status}`);
  const data = await response.blob();
  return URL.createObjectURL(type ? new Blob([data], { type }) : data);
}

async function keepOffline(video) {
  const [media, captions] = await Promise.all([
    blobUrl(video.dataset.media), blobUrl(video.dataset.captions, "text/vtt"),
  ]);
  video.querySelectorAll("track").forEach((track) => track.remove());
  const track = document.createElement("track");
  Object.assign(track, { kind: "captions", srclang: "en", label: "English", default: true, src: captions });
  video.appendChild(track);
  track.track.mode = "showing";
  video.src = media;
  video.preload = "auto";
  video.load();
}

async function loadAll() {
  const videos = items.map((_, i) => videoOf(i)).filter(Boolean);
  say(`Loading ${videos.length} clip${videos.length === 1 ? "" : "s"} so the reel plays offline…`);
  const outcomes = await Promise.allSettled(videos.map(keepOffline));
  const failed = outcomes.filter((o) => o.status === "rejected").length;
  body.dataset.offline = failed ? "partial" : "ready";
  say(failed
    ? `${failed} clip${failed === 1 ? "" : "s"} could not be loaded for offline use; they need the network.`
    : `Ready, also offline. ${items.length ? `1 of ${items.length}: ${titleOf(current)}` : ""}`);
}

document.getElementById("presenter-controls").hidden = false;
document.getElementById("presenter-help").hidden = false;
show(0, { announce: false });
loadAll();
