// Standardization charts (ECharts, served locally). The data comes from a json_script block
// with the id "standards-chart-data"; each chart is a <div data-chart="…">.
(function () {
  "use strict";
  // Tooltips drawn on the canvas: ECharts' HTML tooltips are markup with style attributes,
  // which the Content-Security-Policy refuses.
  var TOOLTIP_MODE = "richText";

  function draw() {
    var source = document.getElementById("standards-chart-data");
    if (!source || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent || "{}");
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var kind = element.getAttribute("data-chart");
      var option = null;
      if (kind === "radar" && data.indicators && data.indicators.length) {
        option = {
          tooltip: { renderMode: TOOLTIP_MODE },
          legend: { bottom: 0, data: data.series.map(function (s) { return s.name; }) },
          radar: { indicator: data.indicators, radius: "62%" },
          series: [{ type: "radar", areaStyle: { opacity: 0.15 }, data: data.series }],
        };
      } else if (kind === "history" && data.history) {
        option = {
          tooltip: { trigger: "axis", renderMode: TOOLTIP_MODE },
          grid: { left: 40, right: 16, top: 24, bottom: 32 },
          xAxis: { type: "category", data: data.history.dates },
          yAxis: { type: "value", min: 0, max: 100 },
          series: [{ type: "line", data: data.history.scores, label: { show: true } }],
        };
      } else if (kind === "bands" && data.bands) {
        option = {
          tooltip: { trigger: "axis", renderMode: TOOLTIP_MODE },
          grid: { left: 40, right: 16, top: 24, bottom: 32 },
          xAxis: { type: "category", data: data.bands },
          yAxis: { type: "value", minInterval: 1 },
          series: [{ type: "bar", data: data.counts, label: { show: true, position: "top" } }],
        };
      }
      if (option) {
        var chart = window.echarts.init(element, null, { renderer: "canvas" });
        chart.setOption(option);
        charts.push(chart);
      }
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
