/**
 * Figures researchers publish, drawn with JFreeChart and written as PNG and SVG (JFreeSVG),
 * headless, from the CSV/JSON a run wrote.
 */
package org.fena.plots;
