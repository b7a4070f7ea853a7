// A story with a content warning: the player waits behind the warning until the visitor
// chooses "Play anyway". Without this script the warning is still read first (it comes
// before the player) and the player works as on any story.
export function initContentWarning(root = document) {
  const button = root.querySelector("[data-play-anyway]");
  const group = root.querySelector("[data-play-anyway-group]");
  const player = button && root.getElementById(button.getAttribute("aria-controls"));
  if (!player || !group) return;
  player.hidden = true;
  group.hidden = false;
  button.addEventListener("click", () => {
    player.hidden = false;
    group.hidden = true;
    // To the first player, so Space or Enter plays it; else to the recordings themselves.
    const first = player.querySelector("video, audio");
    (first || player).focus();
  });
}

if (document.body.classList.contains("govuk-frontend-supported")) {
  initContentWarning();
}
