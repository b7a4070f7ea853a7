// The sections screen: the recording plays above the sections, and each section's
// "Use the player's time" button writes where the player is into its start (m:ss.s), as OHMS
// lets an indexer mark a section while listening.

function timecode(seconds) {
  const tenths = Math.round(Math.max(seconds, 0) * 10);
  const hours = Math.floor(tenths / 36000);
  const minutes = Math.floor((tenths % 36000) / 600);
  const rest = tenths % 600;
  const secs = String(Math.floor(rest / 10)).padStart(2, "0");
  const clock = `${hours ? String(minutes).padStart(2, "0") : minutes}:${secs}.${rest % 10}`;
  return hours ? `${hours}:${clock}` : clock;
}

const player = document.getElementById("sections-player");
if (player) {
  for (const button of document.querySelectorAll("[data-sections-now]")) {
    button.hidden = false;
    button.addEventListener("click", () => {
      const input = document.getElementById(button.dataset.sectionsNow);
      input.value = timecode(player.currentTime);
      input.focus();
    });
  }
}
