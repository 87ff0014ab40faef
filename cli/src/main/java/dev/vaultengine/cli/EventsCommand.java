package dev.vaultengine.cli;

import dev.vaultengine.Subscription;
import dev.vaultengine.VaultEvent;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code vault events ...}: the event log of every change. */
@Command(name = "events", description = "Read the events of every change.")
final class EventsCommand extends CommandGroup {
  @ParentCommand
  VaultCli root;

  @Command(name = "tail", description = "Print stored events, oldest first, one JSON object per "
      + "line; with --follow, keep printing new ones as they are committed (also by other "
      + "processes) until interrupted.")
  int tail(
      @Option(names = "--after", defaultValue = "0",
          description = "Print events after this sequence (default: from the oldest kept).")
      long after,
      @Option(names = "--limit", defaultValue = "1000",
          description = "At most this many stored events (1-1000; default: ${DEFAULT-VALUE}).")
      int limit,
      @Option(names = "--follow", description = "Keep printing new events.") boolean follow,
      @Option(names = "--name", description = "With --follow: a durable subscriber name; the "
          + "position is kept in the database, so the next run goes on where this one stopped.")
      String name,
      @Option(names = "--stop-after", hidden = true, defaultValue = "0") int stopAfter) {
    return root.withEngine(engine -> {
      if (!follow) {
        List<VaultEvent> events = engine.events().read(after, limit);
        events.forEach(e -> root.printLine(Json.event(e)));
        return;
      }
      AtomicInteger printed = new AtomicInteger();
      CountDownLatch done = new CountDownLatch(1);
      long start = after > 0 ? after : engine.events().lastSequence();
      // Stored events first (unless a durable name resumes from its own position).
      if (name == null && after > 0) {
        for (VaultEvent e : engine.events().read(after, 1000)) {
          root.printLine(Json.event(e));
          if (stopAfter > 0 && printed.incrementAndGet() >= stopAfter) {
            return;
          }
          start = e.sequence();
        }
      }
      long from = start;
      dev.vaultengine.EventListener listener = e -> {
        if (name == null && e.sequence() <= from) {
          return;
        }
        root.printLine(Json.event(e));
        if (stopAfter > 0 && printed.incrementAndGet() >= stopAfter) {
          done.countDown();
        }
      };
      try (Subscription s = name == null ? engine.events().subscribe(listener)
          : engine.events().subscribe(name, listener)) {
        Thread hook = new Thread(done::countDown);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
          done.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          try {
            Runtime.getRuntime().removeShutdownHook(hook);
          } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting on Ctrl-C: the subscription closes with it.
          }
        }
      }
    });
  }
}
