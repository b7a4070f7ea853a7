// The in-browser recorder on /contribute/ (issue 15). Progressive enhancement: the
// template's container stays hidden without this script, and the file field works alone.
// A kept recording is handed to the form's `recordings` file input (DataTransfer, then a
// "change" event), so it is sent, probed and converted exactly like a chosen file, and the
// upload script treats it the same way. Record again after Keep takes it back: the input is
// emptied and a "recording:discarded" event names the file, which the upload script drops.
const TYPES = {
  audio: ["audio/webm;codecs=opus", "audio/webm", "audio/mp4", "audio/ogg;codecs=opus"],
  video: ["video/webm;codecs=vp8,opus", "video/webm", "video/mp4"],
};
const NOT_SUPPORTED =
  "Recording on this page does not work in this browser. You can record your story with " +
  "your phone's own sound or camera app, then choose the file below.";
const REFUSED = {
  audio:
    "We could not use your microphone: permission was refused or no microphone was found. " +
    "You can allow the microphone in your browser's settings and try again, or choose a " +
    "recording file below.",
  video:
    "We could not use your camera and microphone: permission was refused or no camera was " +
    "found. You can allow them in your browser's settings and try again, record sound only, " +
    "or choose a recording file below.",
};

function clock(seconds) {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

function spoken(seconds) {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const parts = [];
  if (minutes) parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
  if (rest || !minutes) parts.push(`${rest} second${rest === 1 ? "" : "s"}`);
  return parts.join(" ");
}

function supported() {
  return Boolean(
    window.MediaRecorder &&
      navigator.mediaDevices &&
      navigator.mediaDevices.getUserMedia &&
      window.DataTransfer,
  );
}

function chooseType(kind) {
  return TYPES[kind].find((type) => MediaRecorder.isTypeSupported(type)) || "";
}

function fileFor(blob, kind) {
  const type = (blob.type || `${kind}/webm`).split(";")[0];
  const extension = type.endsWith("mp4") ? "mp4" : type.endsWith("ogg") ? "ogg" : "webm";
  return new File([blob], `story-recording.${extension}`, { type });
}

// A browser's own recording has no length written in it (WebM from MediaRecorder), so its
// player shows none until it has been read to the end: seek far past the end once, which
// makes the browser find the length, then go back to the start.
function showLength(player) {
  player.addEventListener(
    "loadedmetadata",
    () => {
      if (player.duration !== Infinity && !Number.isNaN(player.duration)) return;
      player.addEventListener(
        "durationchange",
        () => {
          player.currentTime = 0;
        },
        { once: true },
      );
      player.currentTime = Number.MAX_SAFE_INTEGER;
    },
    { once: true },
  );
}

class Recorder {
  constructor(root, input) {
    this.root = root;
    this.input = input;
    this.find = (name) => root.querySelector(`[data-recorder-${name}]`);
    this.prompts = [...root.querySelectorAll("[data-recorder-prompt]")];
    this.promptAt = 0;
    this.chunks = [];
  }

  start() {
    this.root.hidden = false;
    if (!supported()) {
      this.find("controls").hidden = true;
      this.find("intro").hidden = true;
      this.say(NOT_SUPPORTED, "message");
      return;
    }
    this.find("start").addEventListener("click", () => this.record());
    this.find("stop").addEventListener("click", () => this.stop());
    this.find("keep").addEventListener("click", () => this.keep());
    this.find("again").addEventListener("click", () => this.again());
    if (this.prompts.length) {
      this.find("previous").addEventListener("click", () => this.showPrompt(this.promptAt - 1));
      this.find("next").addEventListener("click", () => this.showPrompt(this.promptAt + 1));
      this.showPrompt(0, true);
    }
  }

  kind() {
    return this.root.querySelector('input[name="recorder_kind"]:checked').value;
  }

  say(text, where = "status") {
    const element = this.find(where);
    element.textContent = text;
    // Live regions stay in the page (a region just revealed may not be read out).
    if (where === "message") element.hidden = !text;
  }

  showPrompt(index, quietly = false) {
    this.promptAt = Math.max(0, Math.min(index, this.prompts.length - 1));
    this.prompts.forEach((prompt, at) => (prompt.hidden = at !== this.promptAt));
    const position = `Question ${this.promptAt + 1} of ${this.prompts.length}`;
    this.find("prompt-position").textContent = position;
    // A screen reader hears the new question itself, not only its number.
    const question = this.prompts[this.promptAt].textContent.trim();
    if (!quietly) this.say(`${position}: ${question}`, "prompt-announce");
    const [previous, next] = [this.find("previous"), this.find("next")];
    previous.disabled = this.promptAt === 0;
    next.disabled = this.promptAt === this.prompts.length - 1;
    // A button just disabled drops the keyboard's focus: hand it to the other one.
    if (document.activeElement === previous && previous.disabled) next.focus();
    if (document.activeElement === next && next.disabled) previous.focus();
  }

  async record() {
    const kind = this.kind();
    this.say("");
    this.say("", "message");
    try {
      this.stream = await navigator.mediaDevices.getUserMedia(
        kind === "video" ? { audio: true, video: { facingMode: "user" } } : { audio: true },
      );
    } catch {
      this.say(REFUSED[kind], "message");
      this.find("start").focus();
      return;
    }
    const type = chooseType(kind);
    this.recorder = new MediaRecorder(this.stream, type ? { mimeType: type } : {});
    this.recordedKind = kind;
    this.chunks = [];
    this.recorder.addEventListener("dataavailable", (event) => {
      if (event.data.size) this.chunks.push(event.data);
    });
    this.recorder.addEventListener("stop", () => this.review());
    this.recorder.start(1000);
    this.showRecording(kind);
  }

  showRecording(kind) {
    const preview = this.find("preview");
    if (kind === "video") {
      preview.srcObject = this.stream;
      preview.hidden = false;
      preview.play().catch(() => {});
    }
    this.find("review").hidden = true;
    this.find("start").hidden = true;
    this.find("stop").hidden = false;
    this.find("stop").focus();
    this.root.querySelectorAll('input[name="recorder_kind"]').forEach((r) => (r.disabled = true));
    this.seconds = 0;
    const elapsed = this.find("elapsed");
    elapsed.textContent = clock(0);
    elapsed.hidden = false;
    this.say("Recording. Press Stop recording when you have finished.");
    // The running time is a timer (role="timer", not read out by itself): a screen reader
    // speaking every few seconds would be recorded over the contributor's voice. It is
    // announced when the recording stops, and can be read at any time.
    const started = Date.now();
    this.timer = setInterval(() => {
      this.seconds = Math.floor((Date.now() - started) / 1000); // a busy page skips ticks
      elapsed.textContent = clock(this.seconds);
    }, 250);
  }

  stop() {
    clearInterval(this.timer);
    if (this.recorder && this.recorder.state !== "inactive") this.recorder.stop();
    this.stream.getTracks().forEach((track) => track.stop());
  }

  review() {
    const blob = new Blob(this.chunks, { type: this.recorder.mimeType });
    this.file = fileFor(blob, this.recordedKind);
    const preview = this.find("preview");
    preview.srcObject = null;
    preview.hidden = true;
    this.find("elapsed").hidden = true;
    this.find("stop").hidden = true;
    // Until the contributor keeps it or chooses Record again, the only way on is one of those.
    this.find("start").textContent = "Start a new recording";
    this.root.querySelectorAll('input[name="recorder_kind"]').forEach((r) => (r.disabled = false));
    const isVideo = this.recordedKind === "video";
    const player = this.find(isVideo ? "video" : "audio");
    this.find(isVideo ? "audio" : "video").hidden = true;
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = URL.createObjectURL(this.file);
    showLength(player);
    player.src = this.url;
    player.hidden = false;
    this.find("keep").hidden = false;
    const heading = this.find("review-heading");
    heading.textContent = "Listen to your recording";
    this.find("review").hidden = false;
    this.say(
      `Recording stopped after ${spoken(this.seconds)}. Listen to it, then keep it or record again.`,
    );
    heading.focus(); // the Stop button the keyboard was on has gone
  }

  keep() {
    const files = new DataTransfer();
    files.items.add(this.file);
    this.input.files = files.files;
    this.input.dispatchEvent(new Event("change", { bubbles: true }));
    this.kept = true;
    this.find("keep").hidden = true;
    const heading = this.find("review-heading");
    heading.textContent = "Your recording is ready to send";
    this.say(
      `Your recording (${spoken(this.seconds)}) will be sent with your story. Fill in the ` +
        'form below, then press "Send my story".',
    );
    heading.focus();
  }

  again() {
    // A recording already handed to the form is taken back: only the new one is sent.
    if (this.kept) {
      this.kept = false;
      this.input.value = "";
      this.input.dispatchEvent(new Event("change", { bubbles: true }));
      // The upload script may already be sending it ahead, or have it kept: it drops it.
      this.input.dispatchEvent(
        new CustomEvent("recording:discarded", { bubbles: true, detail: { file: this.file } }),
      );
    }
    this.find("review").hidden = true;
    this.find("start").hidden = false;
    this.say("The recording was discarded. Press Start a new recording when you are ready.");
    this.find("start").focus();
  }
}

export function initRecorder(root = document) {
  const container = root.querySelector("[data-recorder]");
  const input = root.querySelector('input[type="file"][name="recordings"]');
  if (container && input) new Recorder(container, input).start();
}
