package io.drover.coordinator.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Why a job with tasks to run waits although agents take work: no agent taking work could ever run
 * one of its tasks, whatever it runs now. Values only; the coordinator words them for operators.
 *
 * @param agentsTakingWork agents ALIVE and not draining (0: the job waits for any agent at all)
 * @param blockers each requirement some of those agents fail, in the job's order
 */
public record PlacementWait(int agentsTakingWork, List<Blocker> blockers) {
    public enum Kind {
        /** A label constraint (a required label is an {@code =} constraint). */
        CONSTRAINT,
        /** Slots per task more than the agent has in all. */
        SLOTS,
        /** Memory per task more than the agent offers. */
        MEMORY
    }

    /**
     * {@code agentsFailing} of the agents taking work fail it; for SLOTS and MEMORY {@code needed} is
     * what a task asks and {@code mostOffered} the most any agent taking work offers.
     */
    public record Blocker(Kind kind, Constraint constraint, int agentsFailing, long needed, long mostOffered) {
    }

    public PlacementWait {
        blockers = List.copyOf(blockers);
    }

    /** The reason {@code def} cannot run on any of {@code agents}, or null when one of them could run it. */
    static PlacementWait of(JobDefinition def, Collection<AgentRecord> agents) {
        List<AgentRecord> taking = new ArrayList<>();
        for (AgentRecord a : agents) {
            if (a.acceptsWork()) {
                if (a.slots >= def.slotsPerTask() && Placement.staticMismatch(def, a) == null) {
                    return null;
                }
                taking.add(a);
            }
        }
        List<Blocker> blockers = new ArrayList<>();
        for (Constraint c : def.allConstraints()) {
            int failing = 0;
            for (AgentRecord a : taking) {
                if (!c.test(a.labels)) {
                    failing++;
                }
            }
            if (failing > 0) {
                blockers.add(new Blocker(Kind.CONSTRAINT, c, failing, 0, 0));
            }
        }
        int fewSlots = 0;
        int mostSlots = 0;
        int lowMemory = 0;
        long mostMemory = 0;
        for (AgentRecord a : taking) {
            mostSlots = Math.max(mostSlots, a.slots);
            mostMemory = Math.max(mostMemory, a.memoryMb);
            if (a.slots < def.slotsPerTask()) {
                fewSlots++;
            }
            if (def.memoryMb() > 0 && a.memoryMb > 0 && a.memoryMb < def.memoryMb()) {
                lowMemory++;
            }
        }
        if (fewSlots > 0) {
            blockers.add(new Blocker(Kind.SLOTS, null, fewSlots, def.slotsPerTask(), mostSlots));
        }
        if (lowMemory > 0) {
            blockers.add(new Blocker(Kind.MEMORY, null, lowMemory, def.memoryMb(), mostMemory));
        }
        return new PlacementWait(taking.size(), blockers);
    }
}
