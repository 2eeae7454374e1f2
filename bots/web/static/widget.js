/*
 * Almanac Assistant chat widget. Embed with one tag:
 *   <script src="https://HOST/widget.js" data-title="Ask the almanac" async></script>
 * Options (data- attributes): title, greeting, api-base (default: where this script came from),
 * api-key (sent as X-API-Key), open ("true" to start open).
 * A button with data-almanac-ask="..." on the page opens the chat with that text as the start of a question.
 * Every string from the server or the user is put on the page as text, never parsed as HTML.
 */
(function () {
  "use strict";
  if (window.AlmanacWidget) return;

  var script = document.currentScript;
  var data = (script && script.dataset) || {};
  var scriptOrigin = script && script.src ? new URL(script.src, window.location.href).origin : window.location.origin;
  var config = {
    title: data.title || "Ask the almanac",
    greeting:
      data.greeting ||
      "Ask about council digitalisation: the 12 outcomes, guidance and case studies. Every answer cites its sources.",
    apiBase: (data.apiBase || scriptOrigin).replace(/\/+$/, ""),
    apiKey: data.apiKey || "",
    open: data.open === "true",
  };

  var CSS = [
    ":host{all:initial}",
    ".aw{font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#0b0c0c}",
    ".aw *,.aw *::before,.aw *::after{box-sizing:border-box}",
    ":where(.aw) button,:where(.aw) textarea{font:inherit;color:inherit}",
    ".aw :focus-visible{outline:3px solid #0b0c0c;outline-offset:2px;box-shadow:0 0 0 6px #ffdd00}",
    ".aw-launcher{position:fixed;right:16px;bottom:16px;z-index:2147483000;display:flex;gap:8px;align-items:center;",
    "border:2px solid #0b3d6b;border-radius:28px;padding:12px 18px;background:#1d70b8;color:#fff;cursor:pointer;",
    "font-weight:600;box-shadow:0 2px 8px rgba(0,0,0,.3)}",
    ".aw-launcher:hover{background:#003078}",
    ".aw-launcher svg{width:22px;height:22px;fill:currentColor}",
    ".aw-panel{position:fixed;right:16px;bottom:84px;z-index:2147483000;width:min(420px,calc(100vw - 32px));",
    "height:min(640px,calc(100vh - 108px));display:flex;flex-direction:column;background:#fff;",
    "border:1px solid #505a5f;border-radius:12px;box-shadow:0 8px 28px rgba(0,0,0,.3);overflow:hidden;",
    "transition:opacity .15s ease,transform .15s ease}",
    ".aw-panel[hidden]{display:none}",
    ".aw-head{display:flex;align-items:center;gap:8px;padding:10px 12px;background:#1d70b8;color:#fff}",
    ".aw-head h2{flex:1;margin:0;font-size:18px;line-height:1.3}",
    ".aw-head button{background:transparent;border:2px solid #fff;border-radius:6px;color:#fff;padding:4px 10px;",
    "cursor:pointer;font-size:14px}",
    ".aw-head .aw-close{font-size:20px;line-height:1;padding:2px 10px}",
    ".aw-log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:12px;background:#f3f2f1}",
    ".aw-msg{max-width:100%;border-radius:10px;padding:10px 12px;overflow-wrap:anywhere}",
    ".aw-user{align-self:flex-end;max-width:85%;background:#1d70b8;color:#fff;white-space:pre-wrap}",
    ".aw-bot{align-self:stretch;background:#fff;border:1px solid #b1b4b6}",
    ".aw-bot p{margin:0 0 8px}.aw-bot ul,.aw-bot ol{margin:0 0 8px;padding-left:22px}.aw-bot li{margin:0 0 4px}",
    ".aw-streaming{white-space:pre-wrap}",
    ".aw-wait::after{content:'';display:inline-block;width:1.2em;text-align:left;animation:aw-dots 1.2s steps(4) infinite}",
    "@keyframes aw-dots{0%{content:''}25%{content:'.'}50%{content:'..'}75%{content:'...'}}",
    ".aw-error{border-color:#b10e1e;color:#b10e1e;font-weight:600}",
    ".aw-cite{display:inline-block;min-width:24px;margin:0 2px;padding:0 5px;border:1px solid #1d70b8;",
    "border-radius:10px;background:#e8f1f8;color:#003078;font-size:13px;font-weight:700;line-height:18px;",
    "vertical-align:text-top;cursor:pointer}",
    ".aw-cite[aria-expanded=true]{background:#003078;color:#fff}",
    ".aw-source{margin:8px 0;padding:8px 10px;border-left:4px solid #1d70b8;background:#f3f2f1;font-size:14px}",
    ".aw-source[hidden]{display:none}",
    ".aw-source h3{margin:0 0 4px;font-size:15px}.aw-source p{margin:0 0 6px}",
    ".aw-source blockquote{margin:0 0 6px;padding-left:8px;border-left:2px solid #505a5f;color:#0b0c0c}",
    ".aw-source a{color:#1d4e89}.aw-source ul{margin:0;padding-left:18px}",
    ".aw-muted{color:#505a5f;font-size:14px}",
    ".aw-chips{display:flex;flex-wrap:wrap;gap:6px;margin:6px 0 0;padding:0;list-style:none}",
    ".aw-chips-label{margin:6px 0 0;font-size:13px;color:#505a5f}",
    ".aw-chip{padding:2px 10px;border-radius:12px;background:#e8f1f8;border:1px solid #1d70b8;color:#003078;",
    "font-size:13px}",
    ".aw-feedback{display:flex;flex-wrap:wrap;align-items:center;gap:6px;margin-top:8px;font-size:14px}",
    ".aw-feedback>button{display:inline-flex;align-items:center;gap:4px;padding:3px 10px;border:1px solid #505a5f;",
    "border-radius:14px;background:#fff;cursor:pointer}",
    ".aw-feedback>button[aria-pressed=true]{background:#0b0c0c;color:#fff}",
    ".aw-feedback svg{width:16px;height:16px;fill:currentColor}",
    ".aw-comment{flex-basis:100%;display:flex;flex-direction:column;gap:6px}",
    ".aw-comment[hidden]{display:none}",
    ".aw-comment textarea{width:100%;min-height:56px;padding:6px;border:2px solid #0b0c0c;border-radius:4px}",
    ".aw-primary{align-self:flex-start;padding:6px 14px;border:2px solid #0b3d6b;border-radius:6px;",
    "background:#1d70b8;color:#fff;font-weight:600;cursor:pointer}",
    ".aw-primary[aria-disabled=true]{background:#505a5f;border-color:#505a5f;cursor:progress}",
    ".aw-form{display:flex;gap:8px;align-items:flex-end;padding:10px 12px;border-top:1px solid #b1b4b6}",
    ".aw-form textarea{flex:1;resize:none;min-height:48px;max-height:140px;padding:8px;border:2px solid #0b0c0c;",
    "border-radius:6px}",
    ".aw-hint{margin:0;padding:0 12px 8px;font-size:13px;color:#505a5f}",
    ".aw-sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);",
    "white-space:nowrap;border:0}",
    "@media (prefers-reduced-motion:reduce){.aw *{animation:none!important;transition:none!important}",
    ".aw-wait::after{content:'...'}}",
    "@media (forced-colors:active){.aw-cite,.aw-chip,.aw-feedback>button{border:1px solid ButtonText}}",
  ].join("");

  var ICONS = {
    chat: "M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2z",
    up:
      "M1 21h4V9H1v12zm22-11a2 2 0 0 0-2-2h-6.3l.9-4.6v-.3c0-.4-.2-.8-.4-1.1L14.2 1 7.6 7.6C7.2 8 7 8.5 7 9v10" +
      "a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z",
  };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = String(value);
      else if (name === "className") node.className = value;
      else if (name.slice(0, 2) === "on") node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) node.append(child);
    });
    return node;
  }

  function icon(name, flip) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    if (flip) svg.setAttribute("transform", "rotate(180)");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICONS[name]);
    svg.append(path);
    return svg;
  }

  function safeUrl(value) {
    try {
      var url = new URL(String(value));
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  // Markdown subset the answers use: paragraphs, bullet and numbered lists, **bold**, `code`, [n] citations.
  function inline(text, cite) {
    var parts = String(text).split(/(\*\*[^*]+\*\*|`[^`]+`|\[\d{1,3}\])/);
    var nodes = [];
    parts.forEach(function (part) {
      if (!part) return;
      var bold = /^\*\*([^*]+)\*\*$/.exec(part);
      var code = /^`([^`]+)`$/.exec(part);
      var ref = /^\[(\d{1,3})\]$/.exec(part);
      if (bold) nodes.push(el("strong", {}, inline(bold[1], cite)));
      else if (code) nodes.push(el("code", { text: code[1] }));
      else if (ref && cite) nodes.push(cite(Number(ref[1])) || document.createTextNode(part));
      else nodes.push(document.createTextNode(part));
    });
    return nodes;
  }

  function renderMarkdown(text, cite) {
    var out = document.createDocumentFragment();
    var list = null;
    var para = [];
    function flushPara() {
      if (!para.length) return;
      var p = el("p");
      para.forEach(function (line, i) {
        if (i) p.append(el("br"));
        inline(line, cite).forEach(function (n) { p.append(n); });
      });
      out.append(p);
      para = [];
    }
    String(text).replace(/\r\n?/g, "\n").split("\n").forEach(function (line) {
      var bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
      var numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
      var item = bullet || numbered;
      if (item) {
        flushPara();
        var tag = bullet ? "ul" : "ol";
        if (!list || list.tagName.toLowerCase() !== tag) {
          list = el(tag);
          out.append(list);
        }
        list.append(el("li", {}, inline(item[1], cite)));
        return;
      }
      list = null;
      if (!line.trim()) flushPara();
      else para.push(line.replace(/^#{1,6}\s+/, ""));
    });
    flushPara();
    return out;
  }

  function plainText(text) {
    return String(text).replace(/\*\*/g, "").replace(/\s*\[\d{1,3}\]/g, "").replace(/^\s*[-*+]\s+/gm, "");
  }

  function headers() {
    var h = { "Content-Type": "application/json", Accept: "application/json, text/event-stream" };
    if (config.apiKey) h["X-API-Key"] = config.apiKey;
    return h;
  }

  function problem(response, body) {
    var detail = body && typeof body.detail === "string" ? body.detail : "";
    if (response.status === 429) {
      var wait = response.headers.get("Retry-After");
      return "You are asking too quickly. Try again in " + (wait || "a few") + " seconds.";
    }
    if (response.status === 401) return "This site's chat key was not accepted; tell the site team.";
    return detail || "The assistant could not answer (error " + response.status + "). Please try again.";
  }

  function post(path, payload) {
    return fetch(config.apiBase + path, {
      method: "POST",
      headers: headers(),
      body: JSON.stringify(payload),
      credentials: "omit",
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        if (!response.ok) throw new Error(problem(response, body));
        return body;
      });
    });
  }

  // Reads server-sent events from a POST response, calling onEvent(name, data) for each.
  async function streamChat(payload, onEvent) {
    var response = await fetch(config.apiBase + "/api/chat/stream", {
      method: "POST",
      headers: headers(),
      body: JSON.stringify(payload),
      credentials: "omit",
    });
    if (!response.ok || !response.body) {
      var body = await response.json().catch(function () { return null; });
      throw new Error(problem(response, body));
    }
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    for (;;) {
      var chunk = await reader.read();
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n?/g, "\n");
      var end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        var raw = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        var name = "message";
        var lines = [];
        raw.split("\n").forEach(function (line) {
          if (line.indexOf("event:") === 0) name = line.slice(6).trim();
          else if (line.indexOf("data:") === 0) lines.push(line.slice(5).replace(/^ /, ""));
        });
        if (lines.length) onEvent(name, JSON.parse(lines.join("\n")));
      }
    }
  }

  var documents = {};
  function fetchDocument(docId) {
    if (!documents[docId]) {
      documents[docId] = fetch(config.apiBase + "/api/documents/" + encodeURIComponent(docId), {
        headers: headers(),
        credentials: "omit",
      }).then(function (r) { return r.ok ? r.json() : null; }).catch(function () { return null; });
    }
    return documents[docId];
  }

  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  // "2026-12-01" -> "Reviewed 1 Dec 2026"; read as a calendar date, so no time zone can shift the day.
  function reviewedLabel(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!m || +m[2] < 1 || +m[2] > 12) return "";
    return "Reviewed " + +m[3] + " " + MONTHS[+m[2] - 1] + " " + m[1];
  }

  function sourceCard(citation) {
    var card = el("div", { className: "aw-source", role: "region", "aria-label": "Source " + citation.n });
    card.append(el("h3", { text: "[" + citation.n + "] " + citation.title }));
    var where = [citation.section, citation.council].filter(Boolean).join(" \u00b7 ");
    if (where) card.append(el("p", { className: "aw-muted", text: where }));
    var reviewed = reviewedLabel(citation.reviewed);
    if (reviewed) card.append(el("p", { className: "aw-muted aw-reviewed", text: reviewed }));
    if (citation.snippet) card.append(el("blockquote", { text: citation.snippet }));
    var own = citation.url && safeUrl(citation.url);
    if (own) card.append(el("p", {}, [el("a", { href: own, target: "_blank", rel: "noopener noreferrer", text: "Open the source" })]));
    var page = citation.page && safeUrl(new URL(citation.page, config.apiBase + "/").href);
    if (page) card.append(el("p", {}, [el("a", { className: "aw-page", href: page, text: "Read this section in the almanac" })]));
    else card.append(el("p", { className: "aw-muted" }, ["In the almanac: ", el("code", { text: citation.path })]));
    var more = el("div", { className: "aw-doc", "aria-live": "polite" });
    card.append(more);
    fetchDocument(citation.doc_id).then(function (doc) {
      if (!doc || !doc.sources || !doc.sources.length) return;
      var items = doc.sources.map(function (s) {
        var label = s.title + " (" + s.publisher + (s.year ? ", " + s.year : "") + ")";
        var href = s.url && safeUrl(s.url);
        return el("li", {}, [href ? el("a", { href: href, target: "_blank", rel: "noopener noreferrer", text: label }) : label]);
      });
      // Folded, so a keyboard user is not made to tab through every source of a long guide.
      var count = items.length + (items.length === 1 ? " source" : " sources");
      more.append(el("details", { className: "aw-doc-more" }, [
        el("summary", { text: "Based on " + count }),
        el("ul", { className: "aw-doc-sources" }, items),
      ]));
    });
    return card;
  }

  function build() {
    var host = el("div", { id: "almanac-assistant-widget" });
    var root = host.attachShadow({ mode: "open" });
    if ("adoptedStyleSheets" in root && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.append(el("style", { nonce: (script && script.nonce) || null, text: CSS }));
    }

    var state = { conversationId: null, busy: false };
    var launcher = el("button", { type: "button", className: "aw-launcher", "aria-expanded": "false", "aria-controls": "aw-panel" }, [
      icon("chat"),
      el("span", { text: config.title }),
    ]);
    var log = el("div", { className: "aw-log", role: "log", "aria-label": "Conversation", "aria-live": "off" });
    var live = el("div", { className: "aw-sr", role: "status", "aria-live": "polite" });
    var input = el("textarea", { id: "aw-question", rows: "2", "aria-describedby": "aw-hint", placeholder: "Type your question" });
    var send = el("button", { type: "submit", className: "aw-primary", text: "Send" });
    var form = el("form", { className: "aw-form", novalidate: true }, [
      el("label", { for: "aw-question", className: "aw-sr", text: "Your question" }),
      input,
      send,
    ]);
    var newButton = el("button", { type: "button", className: "aw-new", text: "New conversation" });
    var closeButton = el("button", { type: "button", className: "aw-close", "aria-label": "Close chat", text: "\u00d7" });
    var panel = el("section", { id: "aw-panel", className: "aw-panel", role: "dialog", "aria-labelledby": "aw-title", hidden: true }, [
      el("div", { className: "aw-head" }, [el("h2", { id: "aw-title", text: config.title }), newButton, closeButton]),
      log,
      live,
      form,
      el("p", { id: "aw-hint", className: "aw-hint", text: "Enter sends; Shift+Enter starts a new line." }),
    ]);
    root.append(el("div", { className: "aw" }, [panel, launcher]));

    function announce(text) {
      live.textContent = "";
      window.setTimeout(function () { live.textContent = text; }, 50);
    }

    function scrollDown() {
      log.scrollTop = log.scrollHeight;
    }

    function greet() {
      log.append(el("div", { className: "aw-msg aw-bot aw-greeting" }, [el("p", { text: config.greeting })]));
    }

    function setOpen(open) {
      panel.hidden = !open;
      launcher.setAttribute("aria-expanded", String(open));
      if (open) input.focus();
      else launcher.focus();
    }

    function feedbackControls(answer) {
      var box = el("div", { className: "aw-feedback", role: "group", "aria-label": "Was this answer helpful?" });
      var rating = null;
      var comment = el("textarea", { maxlength: "2000" });
      var submit = el("button", { type: "submit", className: "aw-primary", text: "Send feedback" });
      var status = el("p", { className: "aw-muted", role: "status", tabindex: "-1" });
      var commentForm = el("form", { className: "aw-comment", hidden: true }, [
        el("label", { text: "Tell us more (optional)" }, [comment]),
        submit,
      ]);
      function choose(value, button, other) {
        rating = value;
        button.setAttribute("aria-pressed", "true");
        other.setAttribute("aria-pressed", "false");
        commentForm.hidden = false;
        comment.focus();
      }
      var up = el("button", { type: "button", className: "aw-up", "aria-pressed": "false", "aria-label": "Helpful" }, [icon("up"), el("span", { text: "Yes", "aria-hidden": "true" })]);
      var down = el("button", { type: "button", className: "aw-down", "aria-pressed": "false", "aria-label": "Not helpful" }, [icon("up", true), el("span", { text: "No", "aria-hidden": "true" })]);
      up.addEventListener("click", function () { choose("up", up, down); });
      down.addEventListener("click", function () { choose("down", down, up); });
      commentForm.addEventListener("submit", function (event) {
        event.preventDefault();
        if (!rating || submit.getAttribute("aria-disabled") === "true") return;
        submit.setAttribute("aria-disabled", "true");
        post("/api/feedback", {
          conversation_id: answer.conversation_id,
          message_id: answer.message_id,
          rating: rating,
          comment: comment.value.trim() || null,
        }).then(function () {
          commentForm.remove();
          up.disabled = true;
          down.disabled = true;
          status.textContent = "Thank you: your feedback was sent.";
          // The focused form is gone; keep keyboard users in the panel, on the confirmation.
          status.focus();
        }).catch(function (error) {
          submit.removeAttribute("aria-disabled");
          status.textContent = error.message;
        });
      });
      box.append(el("span", { text: "Helpful?", "aria-hidden": "true" }), up, down, commentForm, status);
      return box;
    }

    function renderAnswer(bubble, answer) {
      bubble.textContent = "";
      var byNumber = {};
      (answer.citations || []).forEach(function (c) { byNumber[c.n] = c; });
      var slot = el("div", { className: "aw-source-slot" });
      var open = { n: null, button: null };
      function cite(n) {
        var citation = byNumber[n];
        if (!citation) return null;
        var button = el("button", { type: "button", className: "aw-cite", "aria-expanded": "false", "aria-label": "Source " + n + ": " + citation.title, text: String(n) });
        button.addEventListener("click", function () {
          var same = open.n === n && open.button === button;
          slot.textContent = "";
          if (open.button) open.button.setAttribute("aria-expanded", "false");
          open = { n: null, button: null };
          if (same) return;
          var card = sourceCard(citation);
          slot.append(card);
          card.scrollIntoView({ block: "nearest" });
          button.setAttribute("aria-expanded", "true");
          open = { n: n, button: button };
        });
        return button;
      }
      bubble.append(el("div", { className: "aw-text" }, [renderMarkdown(answer.text, cite)]), slot);
      if (answer.outcomes && answer.outcomes.length) {
        bubble.append(
          el("p", { className: "aw-chips-label", id: "aw-o-" + answer.message_id, text: "Relevant outcomes" }),
          el("ul", { className: "aw-chips", "aria-labelledby": "aw-o-" + answer.message_id }, answer.outcomes.map(function (o) {
            return el("li", { className: "aw-chip", title: "Match " + Math.round(o.score * 100) + "%", text: o.name });
          }))
        );
      }
      if (answer.message_id) bubble.append(feedbackControls(answer));
      announce(plainText(answer.text));
    }

    function fail(bubble, message) {
      bubble.textContent = "";
      bubble.classList.add("aw-error");
      bubble.setAttribute("role", "alert");
      bubble.append(el("p", { text: message }));
    }

    async function ask(question) {
      state.busy = true;
      send.setAttribute("aria-disabled", "true");
      log.setAttribute("aria-busy", "true");
      log.append(el("div", { className: "aw-msg aw-user" }, [el("span", { className: "aw-sr", text: "You: " }), question]));
      var waiting = el("p", { className: "aw-wait", text: "Searching the almanac" });
      var bubble = el("div", { className: "aw-msg aw-bot" }, [waiting]);
      log.append(bubble);
      scrollDown();
      var streamed = null;
      var finished = false;
      var payload = { question: question };
      if (state.conversationId) payload.conversation_id = state.conversationId;
      try {
        await streamChat(payload, function (name, event) {
          if (name === "delta") {
            if (!streamed) {
              bubble.textContent = "";
              streamed = el("p", { className: "aw-streaming" });
              bubble.append(streamed);
            }
            streamed.append(document.createTextNode(event.text));
          } else if (name === "answer") {
            finished = true;
            state.conversationId = event.conversation_id;
            renderAnswer(bubble, event);
          } else if (name === "error") {
            finished = true;
            fail(bubble, event.detail || "The assistant could not answer. Please try again.");
          }
          scrollDown();
        });
        if (!finished) fail(bubble, "The answer was cut off. Please ask again.");
      } catch (error) {
        fail(bubble, error && error.message && error.message.indexOf("fetch") < 0 ? error.message : "Could not reach the assistant. Check your connection and try again.");
      } finally {
        state.busy = false;
        send.removeAttribute("aria-disabled");
        log.removeAttribute("aria-busy");
        scrollDown();
      }
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var question = input.value.trim();
      if (!question || state.busy) return;
      input.value = "";
      ask(question);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit ? form.requestSubmit() : send.click();
      }
    });
    launcher.addEventListener("click", function () { setOpen(panel.hidden); });
    closeButton.addEventListener("click", function () { setOpen(false); });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        setOpen(false);
      }
    });
    newButton.addEventListener("click", function () {
      state.conversationId = null;
      log.textContent = "";
      greet();
      announce("Started a new conversation.");
      input.focus();
    });

    // open({question}) opens the panel with a question started, for "Ask about this" buttons on a page.
    function openWith(options) {
      setOpen(true);
      var start = options && options.question ? String(options.question) : "";
      if (start) {
        input.value = start;
        input.setSelectionRange(start.length, start.length);
      }
    }
    document.querySelectorAll("[data-almanac-ask]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { openWith({ question: button.getAttribute("data-almanac-ask") }); });
    });

    greet();
    document.body.append(host);
    if (config.open) setOpen(true);
    return { open: openWith, close: function () { setOpen(false); } };
  }

  function start() {
    window.AlmanacWidget = build();
  }
  window.AlmanacWidget = { pending: true };
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
