// Sends each chosen recording ahead of the form with the tus protocol (tus-js-client,
// copied into ../lib/tus-js-client with its licence), in chunks, one file at a time, to
// /contribute/uploads/ (archive/tus.py). A dropped connection is retried, and resumes from
// the server's offset, not from the start; so does choosing the same file again after a
// reload. Once a file is up, the form carries only its id (a hidden "staged_upload" input),
// so a form error never asks for the file again. Without this script (or without tus
// support) the form sends the files itself, as before.
//
// A file set on the input by a script (the in-browser recorder sets `files` and dispatches
// "change") is sent exactly like one the contributor picked; a "recording:discarded" event
// on the input (the recorder's Record again) drops that file: from the queue, mid-upload
// (the server's copy is terminated), or from the kept list.

const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000];

function sizeText(bytes) {
  const units = ["bytes", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit ? value.toFixed(1) : value} ${units[unit]}`;
}

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

function serverMessage(error) {
  const response = error && error.originalResponse;
  const body = response ? response.getBody() : "";
  return body && body.length < 300 ? body : "The connection was lost.";
}

export function initResumableUpload(form, tus) {
  const input = form.querySelector('input[type="file"][name="recordings"]');
  const keptBox = form.querySelector("[data-kept-uploads]");
  const keptList = form.querySelector("[data-kept-list]");
  const progressBox = form.querySelector("[data-upload-progress]");
  const status = form.querySelector("[data-upload-status]");
  const csrf = form.querySelector('input[name="csrfmiddlewaretoken"]').value;
  const chunkSize = Number(form.dataset.chunkBytes) || Infinity;
  const waiting = [];
  let current = null;
  let counter = 0;
  let sendWhenUploaded = false;

  const say = (text) => {
    status.textContent = text;
  };

  const byFile = new Map(); // File -> {upload, view (while uploading), item (once kept)}

  function keep(file, upload) {
    const id = upload.url.split("/").pop();
    const item = element("li", { class: "kept-uploads__item", "data-kept-upload": id });
    byFile.set(file, { upload, item });
    item.append(element("input", { type: "hidden", name: "staged_upload", value: id }));
    const line = element("p", { class: "govuk-body govuk-!-margin-bottom-1" });
    line.append(element("strong", { class: "kept-uploads__name" }, file.name));
    line.append(` (${sizeText(file.size)}), uploaded and kept`);
    item.append(line);
    const boxes = element("div", { class: "govuk-checkboxes govuk-checkboxes--small" });
    const box = element("div", { class: "govuk-checkboxes__item" });
    box.append(
      element("input", {
        class: "govuk-checkboxes__input",
        id: `remove-${id}`,
        name: "remove_staged",
        type: "checkbox",
        value: id,
      }),
      element(
        "label",
        { class: "govuk-label govuk-checkboxes__label", for: `remove-${id}` },
        `Remove ${file.name} (choose another above)`,
      ),
    );
    boxes.append(box);
    item.append(boxes);
    keptList.append(item);
    keptBox.hidden = false;
  }

  function progressRow(file) {
    counter += 1;
    const id = `upload-progress-${counter}`;
    const row = element("div", { class: "upload-progress__item" });
    const label = element("label", { class: "govuk-label", for: id }, `Uploading ${file.name}`);
    const bar = element("progress", { id, max: "100", value: "0" }, "0%");
    const detail = element("p", { class: "govuk-body-s" }, `0 of ${sizeText(file.size)}`);
    row.append(label, bar, detail);
    progressBox.append(row);
    progressBox.hidden = false;
    return { row, label, bar, detail };
  }

  function start(file) {
    const view = progressRow(file);
    let announced = 0;
    const upload = new tus.Upload(file, {
      endpoint: form.dataset.stagedUploads,
      chunkSize,
      retryDelays: RETRY_DELAYS,
      metadata: { filename: file.name, filetype: file.type },
      headers: { "X-CSRFToken": csrf },
      removeFingerprintOnSuccess: true,
      onProgress(sent, total) {
        const percent = Math.floor((sent / total) * 100);
        view.bar.value = percent;
        view.bar.textContent = `${percent}%`;
        view.bar.dataset.sentBytes = String(sent);
        view.detail.textContent = `${sizeText(sent)} of ${sizeText(total)}`;
        // Politely, every quarter: a screen reader hears progress without a flood.
        if (percent >= announced + 25 && percent < 100) {
          announced = percent - (percent % 25);
          say(`${file.name}: ${announced}% uploaded.`);
        }
      },
      onSuccess() {
        view.row.remove();
        progressBox.hidden = !progressBox.children.length;
        keep(file, upload);
        say(`${file.name} is uploaded and kept. You do not need to choose it again.`);
        finish();
      },
      onError(error) {
        if (!navigator.onLine) {
          // Offline: carry on from the server's offset once the connection is back.
          view.label.textContent = `Waiting for a connection to carry on uploading ${file.name}`;
          say(`The connection was lost. ${file.name} will carry on uploading when it is back.`);
          window.addEventListener("online", () => resume(upload, view, file), { once: true });
          return;
        }
        view.label.textContent = `${file.name} could not be uploaded: ${serverMessage(error)}`;
        view.row.classList.add("upload-progress__item--failed");
        say(view.label.textContent);
        sendWhenUploaded = false; // the contributor must choose again first
        finish();
      },
    });
    current = upload;
    byFile.set(file, { upload, view });
    upload.findPreviousUploads().then((previous) => {
      if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    });
  }

  function resume(upload, view, file) {
    view.label.textContent = `Uploading ${file.name}`;
    say(`Connected again: ${file.name} is carrying on from where it stopped.`);
    upload.start();
  }

  function finish() {
    current = null;
    const file = waiting.shift();
    if (file) start(file);
    else if (sendWhenUploaded) form.requestSubmit();
  }

  input.addEventListener("change", () => {
    const files = [...input.files];
    if (!files.length) return;
    input.value = ""; // sent ahead by tus: the form must not send the files a second time
    waiting.push(...files);
    if (!current) finish();
  });

  input.addEventListener("recording:discarded", (event) => {
    const file = event.detail && event.detail.file;
    const queued = waiting.indexOf(file);
    if (queued >= 0) waiting.splice(queued, 1);
    const known = byFile.get(file);
    if (!known) return;
    byFile.delete(file);
    known.upload.abort(true).catch(() => {}); // terminate: the server deletes its copy
    if (known.view) known.view.row.remove();
    if (known.item) known.item.remove();
    progressBox.hidden = !progressBox.children.length;
    keptBox.hidden = !keptList.children.length;
    if (current === known.upload) finish();
  });

  form.addEventListener("submit", (event) => {
    if (current || waiting.length) {
      event.preventDefault();
      sendWhenUploaded = true;
      say("Your recording is still uploading. The form will be sent once it is uploaded.");
    }
  });
}

const form = document.querySelector("form[data-staged-uploads]");
const tus = window.tus;
if (form && tus && tus.isSupported && document.body.classList.contains("govuk-frontend-supported")) {
  initResumableUpload(form, tus);
}
