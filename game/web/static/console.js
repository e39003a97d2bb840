// The dispatcher's console (issue 19). Plain script, no libraries, nothing fetched from elsewhere.
// One WebSocket to the Talkdown session: the join code first, then the dispatcher's actions;
// the session pushes the call's state. Reconnects by itself when the network blips.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const REQUEST_NAMES = { backup: "Backup", ems: "EMS", crisis_team: "Crisis team", records_check: "Records check" };
  const PHASES = { ringing: "ringing", talking: "on the line", dispatched: "unit on the way",
                   on_scene: "unit on scene", none: "no call" };
  let ws = null, code = "", about = null, state = null, retry = 500, joined = false, refused = false;

  function link(text, down) { $("link").textContent = text; $("link").classList.toggle("down", !!down); }

  function send(message) {
    if (!ws || ws.readyState !== WebSocket.OPEN) { $("error").textContent = "not connected — retrying"; return; }
    ws.send(JSON.stringify(message));
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    ws = new WebSocket(scheme + location.host + "/ws");
    link("connecting…", true);
    ws.onopen = () => { ws.send(JSON.stringify({ code: code })); };
    ws.onmessage = (e) => {
      let m;
      try { m = JSON.parse(e.data); } catch (err) { return; }
      if (m.welcome) { about = m.welcome; joined = true; retry = 500; setUp(); link("connected"); }
      if (m.state) { state = m.state; render(); }
      if (m.error) {
        if (!joined) { refused = true; $("join-error").textContent = m.error; $("join").hidden = false; }
        else { $("error").textContent = m.error; }
      }
      if (m.ok) { $("error").textContent = ""; }
    };
    ws.onclose = () => {
      ws = null;
      if (refused) { refused = false; joined = false; link("not connected", true); return; }
      link("connection lost — reconnecting…", true);
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 5000);
    };
  }

  function setUp() {
    $("join").hidden = true;
    $("console").hidden = false;
    $("title").textContent = "— " + about.title;
    const qs = $("questions");
    qs.textContent = "";
    about.questions.forEach(([id, text], i) => {
      const b = document.createElement("button");
      b.type = "button"; b.dataset.question = id;
      b.textContent = (i < 9 ? (i + 1) + ". " : "") + text;
      b.addEventListener("click", () => send({ do: "ask", question: id, tone: $("tone").value }));
      qs.appendChild(b);
    });
    const form = $("card-form");
    form.textContent = "";
    about.fields.forEach(([field, label]) => {
      const l = document.createElement("label");
      l.htmlFor = "card-" + field; l.textContent = label;
      let input;
      if (field === "priority") {
        input = document.createElement("select");
        ["", "1", "2", "3"].forEach((v) => { const o = document.createElement("option"); o.value = v;
          o.textContent = v ? "Priority " + v : "—"; input.appendChild(o); });
      } else {
        input = document.createElement("input");
        input.maxLength = 300; input.spellcheck = false;
      }
      input.id = "card-" + field; input.dataset.field = field;
      input.addEventListener("change", () => send({ do: "card", field: field, value: input.value }));
      form.appendChild(l); form.appendChild(input);
    });
    render();
  }

  let transcriptKey = "";
  function renderTranscript(t) {
    t.textContent = "";
    (state.transcript || []).forEach(([time, who, text]) => {
      const li = document.createElement("li");
      li.className = who; li.textContent = text; t.appendChild(li);
    });
    t.scrollTop = t.scrollHeight;
  }

  function render() {
    if (!about || !state) return;
    const phase = state.phase || "none";
    $("phase").textContent = PHASES[phase] || phase;
    $("caller-state").textContent = state.caller_state ? "caller " + state.caller_state : "";
    $("caller-state").className = "state " + (state.caller_state || "");
    const answer = $("answer");
    answer.disabled = phase !== "ringing";
    answer.classList.toggle("ringing", phase === "ringing");
    answer.textContent = phase === "ringing" ? "Answer the call (ringing)" : (state.line_open ? "On the line" : "Line closed");
    const talking = state.line_open;
    document.querySelectorAll("#questions button").forEach((b) => {
      b.disabled = !talking;
      b.classList.toggle("asked", (state.asked || []).includes(b.dataset.question));
    });
    $("free-text").disabled = !talking;
    const t = $("transcript");
    const said = JSON.stringify(state.transcript || []);
    if (said !== transcriptKey) { transcriptKey = said; renderTranscript(t); }
    const card = Object.fromEntries(state.card || []);

    document.querySelectorAll("#card-form [data-field]").forEach((input) => {
      if (document.activeElement !== input) input.value = card[input.dataset.field] || "";
    });
    const sent = phase === "dispatched" || phase === "on_scene";
    $("dispatch").disabled = sent || phase === "none";
    $("eta").textContent = phase === "dispatched" ? "Unit en route, on scene at " + state.eta.toFixed(0) + " s (now "
      + state.time.toFixed(0) + " s). Briefing given: " + state.briefing
      : phase === "on_scene" ? "Unit on scene. Briefing given: " + state.briefing : "";
    renderRadio();
  }

  let radioKey = "";
  function renderRadio() {
    // rebuilt only when the requests change: what the dispatcher is typing stays where it is
    const key = JSON.stringify([state.requests, state.records, state.arrivals]);
    if (key === radioKey) return;
    radioKey = key;
    const records = $("records");
    records.hidden = !state.records;
    records.textContent = state.records ? "Records check found: " + state.records : "";
    const list = $("requests");
    const focused = document.activeElement && document.activeElement.closest("#requests") ?
      document.activeElement.id : null;
    const typed = {};
    list.querySelectorAll("input").forEach((i) => { typed[i.id] = i.value; });
    list.textContent = "";
    (state.requests || []).slice().reverse().forEach(([number, request, officer, answered]) => {
      const li = document.createElement("li");
      li.className = answered ? "answered" : "open";
      const what = document.createElement("span");
      what.textContent = "#" + number + " " + (REQUEST_NAMES[request] || request) + " — from " + (officer === "trainee" ? "officer 1" : officer.replace(":", " "))
        + (answered ? " (answered)" : "");
      li.appendChild(what);
      if (!answered) {
        const input = document.createElement("input");
        input.id = "radio-text-" + number; input.maxLength = 300;
        input.setAttribute("aria-label", "Radio answer to request " + number);
        input.value = typed[input.id] !== undefined ? typed[input.id] :
          (request === "records_check" && state.records ? state.records : "");
        li.appendChild(input);
        if (about.resources.includes(request)) {
          const sendButton = document.createElement("button");
          sendButton.type = "button"; sendButton.id = "radio-send-" + number;
          sendButton.textContent = "Send " + (REQUEST_NAMES[request] || request);
          sendButton.addEventListener("click", () => send({ do: "radio", request: number, send: true, text: input.value }));
          li.appendChild(sendButton);
        }
        const reply = document.createElement("button");
        reply.type = "button"; reply.id = "radio-reply-" + number;
        reply.textContent = about.resources.includes(request) ? "None available" : "Answer";
        reply.addEventListener("click", () => send({ do: "radio", request: number, send: false, text: input.value }));
        li.appendChild(reply);
      }
      list.appendChild(li);
    });
    if (focused && $(focused)) $(focused).focus();
    $("arrivals").textContent = (state.arrivals || []).length ?
      "On scene: " + state.arrivals.map((r) => REQUEST_NAMES[r] || r).join(", ") : "";
  }

  $("join").addEventListener("submit", (e) => {
    e.preventDefault();
    code = $("code").value.trim();
    $("join-error").textContent = "";
    try { sessionStorage.setItem("talkdown-code", code); } catch (err) { /* private mode */ }
    if (ws) ws.close(); else connect();
  });
  $("answer").addEventListener("click", () => send({ do: "answer" }));
  $("dispatch").addEventListener("click", () => {
    // what is typed but not yet committed goes on the card first
    document.querySelectorAll("#card-form [data-field]").forEach((input) => {
      const card = Object.fromEntries((state && state.card) || []);
      if ((card[input.dataset.field] || "") !== input.value) send({ do: "card", field: input.dataset.field, value: input.value });
    });
    send({ do: "dispatch" });
  });
  $("free").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $("free-text").value.trim();
    if (!text) return;
    send({ do: "ask", text: text, tone: $("tone").value });
    $("free-text").value = "";
  });
  document.addEventListener("keydown", (e) => {
    const typing = e.target.closest && e.target.closest("input, select, textarea");
    if (typing || e.altKey || e.ctrlKey || e.metaKey) return;
    const n = parseInt(e.key, 10);
    if (n >= 1 && n <= 9) {
      const b = document.querySelectorAll("#questions button")[n - 1];
      if (b && !b.disabled) { b.click(); e.preventDefault(); }
    }
  });

  // the code may come in the link's fragment (#code=…), which never reaches any server
  const fromLink = new URLSearchParams(location.hash.slice(1)).get("code");
  let saved = null;
  try { saved = sessionStorage.getItem("talkdown-code"); } catch (err) { /* private mode */ }
  if (fromLink || saved) { code = fromLink || saved; $("code").value = code; connect(); }
})();
