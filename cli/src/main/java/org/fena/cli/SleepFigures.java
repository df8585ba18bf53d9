package org.fena.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.fena.consolidation.SleepReport;
import org.fena.plots.Figures;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Figures of sleep and continual-learning runs (PNG and SVG through {@link Figures#save}). */
final class SleepFigures {

    private SleepFigures() {
    }

    /**
     * Accuracy per task at every stage (after each task, after each sleep) of every arm: {@code stages}
     * maps a name like {@code replay: sleep 1} to {@code [task 1, task 2, ..., all]}.
     */
    static void accuracyByStage(String title, Map<String, double[]> stages, List<String> series, Path base)
            throws IOException {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (Map.Entry<String, double[]> e : stages.entrySet()) {
            for (int i = 0; i < series.size(); i++) {
                d.addValue(e.getValue()[i], series.get(i), e.getKey());
            }
        }
        JFreeChart c = ChartFactory.createBarChart(title, "stage", "held-out accuracy", d, PlotOrientation.VERTICAL,
                true, false, false);
        Figures.style(c);
        c.getCategoryPlot().getRangeAxis().setRange(0, 1);
        // arm names with stage tags are long: vertical labels, and a width that grows with the groups
        c.getCategoryPlot().getDomainAxis().setCategoryLabelPositions(
                org.jfree.chart.axis.CategoryLabelPositions.UP_90);
        c.getCategoryPlot().getDomainAxis().setMaximumCategoryLabelLines(1);
        c.getCategoryPlot().getDomainAxis().setMaximumCategoryLabelWidthRatio(10f);
        Figures.save(c, base, Math.max(Figures.WIDTH, 40 * stages.size()), Figures.HEIGHT + 120);
    }

    /** Mean settled energy per sample of every replayed or dreamed batch against the sleep cycle. */
    static void energy(String title, List<SleepReport> sleeps, Path base) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (int k = 0; k < sleeps.size(); k++) {
            SleepReport r = sleeps.get(k);
            for (String st : r.strategies()) {
                XYSeries s = new XYSeries("sleep " + (k + 1) + " " + st, false, true);
                for (SleepReport.EnergyPoint p : r.energy()) {
                    if (p.strategy().equals(st) && Double.isFinite(p.energyPerSample())) {
                        s.add(p.cycle(), p.energyPerSample());
                    }
                }
                if (s.getItemCount() > 0) {
                    data.addSeries(s);
                }
            }
        }
        JFreeChart c = ChartFactory.createXYLineChart(title, "sleep cycle", "settled energy per sample", data,
                PlotOrientation.VERTICAL, true, false, false);
        Figures.save(Figures.style(c), base);
    }
}
