package io.slackmq.worker;

import java.time.Duration;
import java.util.Set;

/** The settings the worker's parts share, checked by {@link SlackMQWorker.Builder}. */
record WorkerConfig(
    Set<String> channels,
    String workerId,
    int maxAttempts,
    Duration retryDelay,
    Duration sweepInterval,
    Duration catchUpWindow,
    Duration sweepGrace,
    Duration pollInterval,
    Set<String> fleet,
    String canaryEmoji,
    double timeScale,
    String lockEmoji,
    String doneEmoji,
    String deadEmoji) {}
