// The desktop self-check (samwise --selftest): run in the page once it
// loaded; waits for the engine, then calls the bridge, a bound method and
// the /v1 proxy (without a token: the proxy adds it) and reports what it
// saw as the event samwise:selftest.
(async () => {
  const out = { bridge: false };
  try {
    out.bridge = typeof window.samwise === "object" && window.samwise.desktop === true;
    const deadline = Date.now() + 120000;
    let st = await window.samwise.engineStatus();
    while (st.state !== "ready" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      st = await window.samwise.engineStatus();
    }
    out.engine = st.state;
    out.ready = (await fetch("/ready")).status;
    out.media = (await fetch("/v1/media")).status;
  } catch (e) {
    out.error = String(e);
  }
  window.runtime.EventsEmit("samwise:selftest", out);
})();
