// Captions for an audio story, in the area under its player: a browser draws no captions
// over an audio-only picture. The player's caption tracks stay loaded but undrawn
// ("hidden") and their current cue is written into the area. Choosing captions in the
// player's menu, or a language in the transcript's switch, shows a track: it comes here.

function cueText(cue) {
  // "<v Amina>Words" names the speaker, as the captions file does for a new voice.
  const voice = /^<v(?:\.[\w.-]+)?\s+([^>]+)>/.exec(cue.text);
  const words = cue.getCueAsHTML().textContent.trim();
  return voice ? `${voice[1].trim()}: ${words}` : words;
}

function enhance(area) {
  const player = document.getElementById(area.dataset.captionsFor);
  if (!player || !player.textTracks || !player.textTracks.length) return;
  const text = area.querySelector(".player-captions__text");
  let current = null;

  const draw = () => {
    const cues = current && current.activeCues ? Array.from(current.activeCues) : [];
    text.textContent = cues.map(cueText).join("\n");
  };
  const use = (track) => {
    if (current) current.removeEventListener("cuechange", draw);
    current = track;
    area.hidden = !track;
    if (track) {
      text.lang = track.language;
      track.addEventListener("cuechange", draw);
    }
    draw();
  };
  const follow = () => {
    const showing = Array.from(player.textTracks).find((track) => track.mode === "showing");
    if (showing) {
      showing.mode = "hidden";  // loaded, cues still change, but drawn here instead
      use(showing);
    } else if (current && current.mode === "disabled") {
      use(null);  // captions turned off in the player's menu
    }
  };
  player.textTracks.addEventListener("change", follow);
  // Seeking while paused changes the cue too; cuechange alone may wait for playback.
  player.addEventListener("seeked", draw);
  follow();
}

document.querySelectorAll("[data-captions-for]").forEach(enhance);
