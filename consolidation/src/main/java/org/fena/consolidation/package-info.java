/**
 * The offline "sleep" phase of DESIGN.md §2: with no data clamped from the world, a hierarchy
 * replays stored episodes, dreams (settles top-down from sampled causes under annealed noise),
 * renormalises its weights and transfers fast weights into slow ones. Every change of a weight is
 * the local Hebbian rule {@code dW_l ∝ (Pi_l eps_l ⊙ f'_l) x_{l+1}'} applied at a settled state, or
 * a multiplicative map of the weights themselves.
 *
 * <p>{@link org.fena.consolidation.Sleep} composes {@link org.fena.consolidation.SleepStrategy}
 * objects; {@link org.fena.consolidation.InterleavedDreams} learns dreams of the old classes between
 * the waking batches of a new task (generative replay while awake);
 * {@link org.fena.consolidation.ContinualBenchmark} is the split-MNIST class-incremental experiment
 * that measures how much each strategy protects old knowledge from new learning.
 */
package org.fena.consolidation;
