// The table of contents of a recording: choosing a section's time plays the recording from
// there. A #t= address (a search result's link to a section) starts there: transcript.js
// does it where there is a transcript; here where there is none.

function parseTime(value) {
  const parts = String(value).split(":").map(Number);
  if (!parts.length || parts.some(Number.isNaN)) return null;
  return parts.reduce((total, part) => total * 60 + part, 0);
}

function seek(player, seconds) {
  const go = () => { player.currentTime = seconds; };
  if (player.readyState >= 1) go(); else player.addEventListener("loadedmetadata", go, { once: true });
}

for (const nav of document.querySelectorAll("[data-sections-for]")) {
  const player = document.getElementById(nav.dataset.sectionsFor);
  if (!player) continue;
  nav.addEventListener("click", (event) => {
    const link = event.target.closest(".archive-sections__time");
    if (!link) return;
    event.preventDefault();
    history.replaceState(null, "", link.getAttribute("href"));
    seek(player, parseTime(link.getAttribute("href").slice(3)));
    player.play().catch(() => {});  // autoplay rules may refuse; the position is still set
  });
}

function timeFromHash() {
  const match = /[#&]t=([0-9:.]+)/.exec(window.location.hash);
  return match ? parseTime(match[1]) : null;
}

const first = document.querySelector("[data-sections-for]");
const firstPlayer = first && document.getElementById(first.dataset.sectionsFor);
if (firstPlayer && !document.querySelector("[data-transcript-for]")) {
  const start = timeFromHash();
  if (start !== null) seek(firstPlayer, start);
  window.addEventListener("hashchange", () => {
    const t = timeFromHash();
    if (t !== null) seek(firstPlayer, t);
  });
}
