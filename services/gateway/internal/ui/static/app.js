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

  // Offer deadlines: count the server's "time left" down every second as
  // days and h:mm:ss; at the deadline show the page's expiry text and take
  // the accept and decline buttons away (the server refuses them anyway).
  function two(n) {
    return (n < 10 ? "0" : "") + n;
  }
  function countdowns() {
    var boxes = document.querySelectorAll(".countdown[data-deadline]");
    if (!boxes.length) {
      return;
    }
    function tick() {
      for (var i = 0; i < boxes.length; i++) {
        var box = boxes[i];
        var left = Math.floor((Date.parse(box.getAttribute("data-deadline")) - Date.now()) / 1000);
        if (isNaN(left)) {
          continue;
        }
        if (left <= 0) {
          box.textContent = box.getAttribute("data-expired");
          box.className = "warn";
          box.removeAttribute("data-deadline");
          var card = box.closest ? box.closest(".offer") : null;
          var actions = card ? card.querySelector(".offer-actions") : null;
          if (actions) {
            actions.parentNode.removeChild(actions);
          }
          continue;
        }
        var d = Math.floor(left / 86400);
        var rest = left % 86400;
        box.textContent = (d > 0 ? d + "d " : "") + Math.floor(rest / 3600) + ":" + two(Math.floor(rest % 3600 / 60)) + ":" + two(rest % 60);
      }
    }
    tick();
    window.setInterval(tick, 1000);
  }

  // A form that keeps its answers (the profile wizard and sections): when
  // the language is switched, send the form with the new language instead,
  // so the server keeps what was typed as a draft and shows it again in
  // that language. Without the script the answers last sent are kept.
  function keepAnswersOnLanguage() {
    var answers = document.querySelector("form[data-keep-answers]");
    var switcher = document.querySelector("form.lang");
    if (!answers || !switcher) {
      return;
    }
    function hidden(name, value) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      answers.appendChild(input);
    }
    switcher.addEventListener("submit", function (e) {
      var lang = e.submitter && e.submitter.value;
      if (!lang) {
        return;
      }
      e.preventDefault();
      hidden("action", "lang");
      hidden("lang", lang);
      answers.submit();
    });
  }

  // Tell the server the browser's time zone (an IANA name such as
  // "Asia/Tokyo") in a cookie, so that pages show times in it; a zone
  // chosen on the settings page still comes first.
  function rememberZone() {
    var zone = "";
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (e) {
      return;
    }
    if (!/^[A-Za-z0-9_+\/-]{1,64}$/.test(zone)) {
      return;
    }
    var cookie = "tb_tz_auto=" + zone;
    if (document.cookie.split("; ").indexOf(cookie) < 0) {
      document.cookie = cookie + "; path=/; max-age=31536000; samesite=lax" + (location.protocol === "https:" ? "; secure" : "");
    }
  }

  rememberZone();

  document.addEventListener("DOMContentLoaded", function () {
    focusErrors();
    followRound();
    countdowns();
    keepAnswersOnLanguage();
  });
})();
