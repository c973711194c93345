// Federation dashboard charts (ECharts, served locally). Data: json_script "dashboard-chart-data".
(function () {
  "use strict";
  // Tooltips drawn on the canvas: ECharts' HTML tooltips are markup with style attributes,
  // which the Content-Security-Policy refuses.
  var TOOLTIP_MODE = "richText";
  var COLORS = { met: "#2e7d32", missed: "#c62828", exempt: "#9e9e9e", pending: "#f9a825" };

  function draw() {
    var source = document.getElementById("dashboard-chart-data");
    if (!source || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent || "{}");
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var option = null;
      if (element.getAttribute("data-chart") === "weeks") {
        option = {
          tooltip: { trigger: "axis", renderMode: TOOLTIP_MODE },
          legend: { bottom: 0 },
          grid: { left: 36, right: 12, top: 32, bottom: 80 },
          xAxis: { type: "category", data: data.weeks, axisLabel: { rotate: 45 } },
          yAxis: { type: "value", minInterval: 1, name: data.unit },
          series: ["met", "missed", "exempt", "pending"].map(function (state) {
            return {
              name: data.labels[state], type: "bar", stack: "weeks",
              itemStyle: { color: COLORS[state] }, data: data[state],
            };
          }),
        };
      } else {
        option = {
          tooltip: { trigger: "axis", renderMode: TOOLTIP_MODE },
          grid: { left: 110, right: 28, top: 8, bottom: 24 },
          xAxis: { type: "value", minInterval: 1 },
          yAxis: { type: "category", data: data.duties, inverse: true },
          series: [{
            type: "bar", data: data.duty_counts, itemStyle: { color: "#c62828" },
            label: { show: true, position: "right" },
          }],
        };
      }
      var chart = window.echarts.init(element, null, { renderer: "canvas" });
      chart.setOption(option);
      charts.push(chart);
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
