/**
 * Studies as jobs of independent seeded tasks: a point of a parameter grid or one member of a
 * Langevin ensemble is a task; its seed comes from the job's seed and its index alone
 * ({@link org.fena.dynamics.jobs.TaskSeeds}); its result is a row keyed by that index, and rows are
 * combined in index order. So a result never depends on how the tasks were partitioned, scheduled
 * or retried, and every {@link org.fena.dynamics.jobs.Engine} (the thread pool here, Spark in the
 * {@code distributed} module) gives the same bits.
 */
package org.fena.dynamics.jobs;
