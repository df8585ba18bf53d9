package org.fena.consolidation;

import java.util.List;

import org.fena.dynamics.data.LabelledData;
import org.fena.dynamics.learning.TrainingSettings;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.learning.UpdateRule;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class ReplayProperties {

    /**
     * On a linear hierarchy the settled energy of an episode is the minimum over the free layer of a
     * convex quadratic, so one small Hebbian step on the whole buffer (a gradient step on the sum of
     * settled energies, by the envelope theorem) followed by re-settling cannot raise it.
     */
    @Property(tries = 25)
    void replayOfStoredEpisodesDoesNotRaiseTheMeanSettledEnergyOnThoseEpisodes(
            @ForAll @LongRange(min = 1, max = 1_000_000) long seed, @ForAll @IntRange(min = 2, max = 6) int hidden,
            @ForAll @IntRange(min = 1, max = 5) int cycles) {
        int capacity = 16;
        Hierarchy h = Fixtures.hierarchy(hidden, true, seed);
        TrainingSettings s = Fixtures.settings(capacity);
        EpisodicBuffer b = Fixtures.buffer(capacity, 50, seed);
        LabelledData episodes = b.episodes();
        double before = EpisodicReplay.meanSettledEnergy(h, s, episodes, capacity);
        new Sleep(List.of(new EpisodicReplay()), cycles, capacity, UpdateRule.sgd(), 0.01, seed).run(h, s, b);
        double after = EpisodicReplay.meanSettledEnergy(h, s, episodes, capacity);
        if (after > before + 1e-9 * (1 + before)) {
            throw new AssertionError("mean settled energy rose from " + before + " to " + after);
        }
    }
}
