// TalentBridge: small enhancements only; every page works without this.
(function () {
  "use strict";

  // Move focus to the error summary after a refused form, so that screen
  // reader and keyboard users land on it.
  function focusErrors() {
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  }

  // A running round: ask the API for its progress every second and move
  // the bar; reload the page when the run ends, to show the results.
  function followRound() {
    var box = document.querySelector(".round-progress[data-status='running']");
    if (!box || !window.fetch) {
      return;
    }
    var id = box.getAttribute("data-round");
    var bar = document.getElementById("round-progress");
    var timer = window.setInterval(function () {
      window.fetch("/api/v1/rounds/" + encodeURIComponent(id), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (res) {
        if (!res.ok) {
          throw new Error("status " + res.status);
        }
        return res.json();
      }).then(function (round) {
        if (bar && typeof round.progress === "number") {
          bar.value = round.progress;
        }
        if (round.status !== "running") {
          window.clearInterval(timer);
          window.location.reload();
        }
      }).catch(function () {
        // Fall back to reloading the page now and then.
        window.clearInterval(timer);
        window.setTimeout(function () { window.location.reload(); }, 3000);
      });
    }, 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrors();
    followRound();
  });
})();
