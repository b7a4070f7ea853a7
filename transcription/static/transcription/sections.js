// The table of contents of a recording: choosing a section's time plays the recording from
// there (the #t= address works without this script too, through transcript.js).

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
