/* words.js: the interface's words in the course's language, for every other piece.
 *
 * The build writes the words the scripts use into each page, as data:
 * <script type="application/json" id="gradsite-strings">{"language": "de",
 * "decimal": ",", "separator": "; ", "words": {"quiz.correct": "Richtig", ...}}
 * (a strict Content-Security-Policy allows a data block, not inline code).
 * Each call names its key and its English text, which stands when the page
 * has no such block (and in the unit tests, which run without a page);
 * tests/test_i18n.py holds these English texts to the catalogue's.
 *
 * Placeholders are written {name}; a count picks its phrase's form ("one",
 * "other") by the language's plural rule (Intl.PluralRules).
 */
var GradsiteWords = (function () {
  "use strict";

  var loaded = null;

  function page() {
    if (loaded) return loaded;
    loaded = { language: "en", decimal: ".", separator: ", ", words: {} };
    var block = typeof document === "object" && document.getElementById
      ? document.getElementById("gradsite-strings") : null;
    if (!block) return loaded;
    try {
      var data = JSON.parse(block.textContent);
      if (data && typeof data === "object") {
        if (typeof data.language === "string") loaded.language = data.language;
        if (typeof data.decimal === "string") loaded.decimal = data.decimal;
        if (typeof data.separator === "string") loaded.separator = data.separator;
        if (data.words && typeof data.words === "object") loaded.words = data.words;
      }
    } catch (error) {
      // A broken block leaves the English words: the page still works.
    }
    return loaded;
  }

  function fill(pattern, values) {
    return pattern.replace(/\{(\w+)\}/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name)
        ? String(values[name]) : whole;
    });
  }

  /* The text of `key` (`english` when the page has none), placeholders filled. */
  function text(key, english, values) {
    var found = page().words[key];
    return fill(typeof found === "string" ? found : english, values);
  }

  function pluralForm(count) {
    var language = page().language;
    try {
      var form = new Intl.PluralRules(language).select(count);
      return form === "one" ? "one" : "other";
    } catch (error) {
      return count === 1 ? "one" : "other";
    }
  }

  /* The form of `key` for `count` (`key.one`, `key.other`), with {count} and
     `values` filled; `forms` holds the English ones. */
  function count(key, number, forms, values) {
    var form = pluralForm(number);
    var filled = { count: number };
    for (var name in values || {}) filled[name] = values[name];
    return text(key + "." + form, forms[form], filled);
  }

  /* A number written with a point ("1.5", "-2.5e+6") as the language writes it. */
  function decimal(written) {
    return String(written).replace(/\./g, page().decimal);
  }

  /* What separates a point's coordinates: ", ", or "; " beside a decimal comma. */
  function separator() {
    return page().separator;
  }

  /* A whole percentage, 0 to 100, as the language writes it ("40%", "40 %"). */
  function percent(value) {
    try {
      return new Intl.NumberFormat(page().language, { style: "percent", maximumFractionDigits: 0 })
        .format(value / 100);
    } catch (error) {
      return value + "%";
    }
  }

  return { text: text, count: count, decimal: decimal, separator: separator, percent: percent,
           fill: fill };
})();

if (typeof module === "object" && module.exports) module.exports = GradsiteWords;
