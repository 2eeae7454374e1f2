/* The /assess questionnaire: one outcome at a time, saved through the API at each step, resumable by id. */
(function () {
  "use strict";
  var form = document.getElementById("assessment");
  if (!form) return;
  var steps = Array.prototype.slice.call(form.querySelectorAll(".step"));
  var back = document.getElementById("back");
  var next = document.getElementById("next");
  var progress = document.getElementById("progress");
  var progressText = document.getElementById("progress-text");
  var status = document.getElementById("status");
  var error = document.getElementById("error");
  var params = new URLSearchParams(window.location.search);
  var id = params.get("id");
  var previousId = params.get("from");
  var current = 0;

  function heading(step) { return step.querySelector("h2"); }

  function show(index, focus) {
    current = Math.max(0, Math.min(index, steps.length - 1));
    steps.forEach(function (step, i) { step.hidden = i !== current; });
    progress.value = current + 1;
    progressText.textContent = "Step " + (current + 1) + " of " + steps.length + ": " + heading(steps[current]).textContent;
    back.disabled = current === 0;
    next.textContent = current === steps.length - 1 ? "Save and see results" : "Save and continue";
    if (focus) heading(steps[current]).focus();
  }

  function collect() {
    var body = { answers: {}, weights: {} };
    var type = form.elements.council_type.value;
    var label = form.elements.label.value.trim();
    body.council_type = type || null;
    body.label = label || null;
    steps.forEach(function (step) {
      var slug = step.getAttribute("data-outcome");
      if (!slug) return;
      step.querySelectorAll("fieldset.statement").forEach(function (group) {
        var chosen = group.querySelector("input:checked");
        if (chosen) {
          body.answers[slug] = body.answers[slug] || {};
          body.answers[slug][group.getAttribute("data-statement")] = chosen.value;
        }
      });
      var weight = step.querySelector("fieldset.weight input:checked");
      if (weight && body.answers[slug]) body.weights[slug] = weight.value;
    });
    return body;
  }

  function fill(saved) {
    form.elements.council_type.value = saved.council_type || "";
    form.elements.label.value = saved.label || "";
    Object.keys(saved.answers || {}).forEach(function (slug) {
      var answers = saved.answers[slug];
      Object.keys(answers).forEach(function (statement) {
        var input = document.getElementById(statement + "-" + answers[statement]);
        if (input) input.checked = true;
      });
    });
    Object.keys(saved.weights || {}).forEach(function (slug) {
      var input = document.getElementById("weight-" + slug + "-" + saved.weights[slug]);
      if (input) input.checked = true;
    });
  }

  function request(method, url, body) {
    var options = { method: method, headers: { "Content-Type": "application/json" } };
    if (body) options.body = JSON.stringify(body);
    return fetch(url, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) throw new Error(data.detail || "The server could not save your answers.");
        return data;
      });
    });
  }

  function save() {
    var body = collect();
    if (!id) {
      if (previousId) body.previous_id = previousId;
      return request("POST", "/api/assessments", body).then(function (data) {
        id = data.id;
        window.history.replaceState(null, "", "/assess?id=" + encodeURIComponent(id));
        return data;
      });
    }
    return request("PUT", "/api/assessments/" + encodeURIComponent(id), body);
  }

  function move(delta) {
    error.textContent = "";
    if (delta < 0) { show(current - 1, true); return; }
    next.disabled = true;
    status.textContent = "Saving...";
    save().then(function () {
      status.textContent = "Saved.";
      if (current === steps.length - 1) {
        window.location.assign("/assess/" + encodeURIComponent(id));
      } else {
        show(current + 1, true);
      }
    }).catch(function (problem) {
      status.textContent = "";
      error.textContent = problem.message;
    }).then(function () { next.disabled = false; });
  }

  back.addEventListener("click", function () { move(-1); });
  next.addEventListener("click", function () { move(1); });

  function firstOpenStep() {
    for (var i = 1; i < steps.length; i++) {
      if (steps[i].querySelector("fieldset.statement input:checked") === null) return i;
    }
    return steps.length - 1;
  }

  var wanted = params.get("outcome");
  var start = 0;
  steps.forEach(function (step, i) { if (wanted && step.getAttribute("data-outcome") === wanted) start = i; });
  var source = id || previousId;
  if (source) {
    status.textContent = "Loading your saved answers...";
    request("GET", "/api/assessments/" + encodeURIComponent(source)).then(function (saved) {
      fill(saved);
      status.textContent = id ? "Your saved answers are back; carry on where you left off." : "Answers copied from your earlier assessment; change what has moved.";
      show(id ? firstOpenStep() : 1, true);
    }).catch(function (problem) {
      status.textContent = "";
      error.textContent = problem.message;
      id = null;
      previousId = null;
      show(start, false);
    });
  } else {
    show(start, false);
  }
})();
