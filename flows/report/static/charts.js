// Draws every chart of the page with the local plotly.min.js. Each chart's figure is a JSON spec in a
// <script type="application/json"> beside its box (never run, only parsed), so the page needs no
// inline script and the Content-Security-Policy can forbid them.
"use strict";
(function () {
  function draw() {
    document.querySelectorAll("div.chart[data-spec]").forEach(function (box) {
      var source = document.getElementById(box.getAttribute("data-spec"));
      if (!source || typeof Plotly === "undefined") return;
      var figure = JSON.parse(source.textContent);
      Plotly.newPlot(box, figure.data, figure.layout, {
        displaylogo: false,
        responsive: true,
        // The image export is done in the browser; the cloud editor link would leave the site.
        showLink: false,
        showEditInChartStudio: false,
        showSendToCloud: false,
      }).then(function () {
        box.setAttribute("data-rendered", "true");
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
