// The interactive transcript: highlight the passage being played, seek when a time is
// chosen, and start at #t=MM:SS (or H:MM:SS, or plain seconds) from the address.

function parseTime(value) {
  const parts = String(value).split(":").map(Number);
  if (!parts.length || parts.some(Number.isNaN)) return null;
  return parts.reduce((total, part) => total * 60 + part, 0);
}

function timeFromHash() {
  const match = /[#&]t=([0-9:.]+)/.exec(window.location.hash);
  return match ? parseTime(match[1]) : null;
}

function seek(player, seconds) {
  const go = () => { player.currentTime = seconds; };
  // Before metadata arrives, setting currentTime is ignored by some browsers.
  if (player.readyState >= 1) go(); else player.addEventListener("loadedmetadata", go, { once: true });
}

function enhance(box) {
  const player = document.getElementById(box.dataset.transcriptFor);
  if (!player) return;
  const passages = Array.from(box.querySelectorAll(".transcript__passage")).map((element) => ({
    element, start: Number(element.dataset.start), end: Number(element.dataset.end),
  }));
  let current = null;
  player.addEventListener("timeupdate", () => {
    const t = player.currentTime;
    const found = passages.find((p) => t >= p.start && t < p.end) || null;
    if (found === current) return;
    if (current) { current.element.classList.remove("transcript__passage--current"); current.element.removeAttribute("aria-current"); }
    if (found) { found.element.classList.add("transcript__passage--current"); found.element.setAttribute("aria-current", "true"); }
    current = found;
  });
  box.addEventListener("click", (event) => {
    const link = event.target.closest(".transcript__time");
    if (!link) return;
    event.preventDefault();
    const seconds = parseTime(link.getAttribute("href").slice(3));
    history.replaceState(null, "", link.getAttribute("href"));
    seek(player, seconds);
    player.play().catch(() => {});  // autoplay rules may refuse; the position is still set
  });
  return player;
}

const players = Array.from(document.querySelectorAll("[data-transcript-for]")).map(enhance).filter(Boolean);
const start = timeFromHash();
if (players.length && start !== null) seek(players[0], start);
window.addEventListener("hashchange", () => {
  const t = timeFromHash();
  if (players.length && t !== null) seek(players[0], t);
});
