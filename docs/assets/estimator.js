// The fee estimator (docs/estimator.md): plain JavaScript, no framework, no network.
// Every number comes from the page's JSON (#sp-estimator-data), which the site's hook
// renders from policy/ at build time; the arithmetic is the validator's own
// (validator/policy.py: fee_guide, deposit, due_date), and a browser test compares them.
(function () {
  "use strict";

  function formatYen(amount, lang) {
    var digits = amount.toLocaleString("en-US");
    return lang === "en" ? "\u00a5" + digits : digits + "\u5186";
  }

  function formatDate(date, lang) {
    return new Intl.DateTimeFormat(lang === "en" ? "en-US" : "ja-JP",
      { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" }).format(date);
  }

  // Half of the total rounded up to the yen, in integers (no floating-point fractions).
  function deposit(total, ratio) {
    return Math.floor((total * ratio.numerator + ratio.denominator - 1) / ratio.denominator);
  }

  function estimate(data, form) {
    var selfOperated = form.elements.operator.value === "you";
    var total = 0;
    data.fees.forEach(function (fee) {
      var box = form.querySelector('input[name="fee"][value="' + fee.id + '"]');
      if (box && box.checked) total += selfOperated ? fee.from * data.multiplier : fee.from;
    });
    var whole = form.elements.license.value === "no" || form.elements.same.value === "no";
    var before = whole ? total : deposit(total, data.deposit);
    var after = total - before;
    var due = data.words.dueUnknown;
    var completed = form.elements.completed.value;
    if (after === 0) {
      due = data.words.noneDue;
    } else if (/^\d{4}-\d{2}-\d{2}$/.test(completed)) {
      var date = new Date(completed + "T00:00:00Z");
      date.setUTCDate(date.getUTCDate() + data.days);
      due = formatDate(date, data.lang);
    }
    return { total: formatYen(total, data.lang), before: formatYen(before, data.lang),
             after: formatYen(after, data.lang), due: due };
  }

  function mount(form) {
    var source = form.querySelector("#sp-estimator-data");
    if (!source) return;
    var data = JSON.parse(source.textContent);
    function update() {
      var result = estimate(data, form);
      Object.keys(result).forEach(function (name) {
        var output = form.querySelector('[data-estimate="' + name + '"]');
        if (output) output.textContent = result[name];
      });
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    update();
  }

  document.querySelectorAll("form.sp-estimator").forEach(mount);
})();
