package dev.vaultengine.cli;

import dev.vaultengine.Subscription;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultEvent;
import dev.vaultengine.VaultException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code vault events ...}: the event log of every change. */
@Command(name = "events", description = "Read the events of every change.")
final class EventsCommand extends CommandGroup {
  /** The most events one read returns. */
  private static final int PAGE = 1000;

  @ParentCommand
  VaultCli root;

  @Command(name = "tail", description = "Print stored events, oldest first, one JSON object per "
      + "line; with --follow, then keep printing new ones as they are committed (also by other "
      + "processes) until interrupted. JSON only: --output table is refused.")
  int tail(
      @Option(names = "--after", paramLabel = "SEQUENCE",
          description = "Print events after this sequence (default: from the oldest kept); "
              + "'now' skips the stored ones (with --follow: new events only).")
      String after,
      @Option(names = "--limit", paramLabel = "N",
          description = "Without --follow: at most this many stored events (1-1000; default: "
              + PAGE + "). --follow prints all of them.")
      Integer limit,
      @Option(names = "--follow", description = "After the stored events, keep printing new "
          + "ones.") boolean follow,
      @Option(names = "--name", paramLabel = "NAME", description = "With --follow, instead of "
          + "--after: a durable subscriber name; the position is kept in the database, so the "
          + "next run goes on where this one stopped (a new name starts with the events "
          + "committed from now on).")
      String name,
      @Option(names = "--stop-after", hidden = true, defaultValue = "0") int stopAfter) {
    // Checked before the engine opens: a request refused changes nothing.
    root.requireJsonLines("events tail");
    if (name != null && !follow) {
      throw VaultException.invalidRequest("Option '--name' needs --follow: a durable subscriber "
          + "only receives events as they are committed.", "name");
    }
    if (name != null && after != null) {
      throw VaultException.invalidRequest("Options '--name' and '--after' cannot be combined: a "
          + "durable subscriber goes on from its own position.", "after");
    }
    if (follow && limit != null) {
      throw VaultException.invalidRequest("Option '--limit' applies without --follow only: "
          + "--follow prints every stored event, then the new ones.", "limit");
    }
    Long afterSequence = sequence(after);
    return root.withEngine(engine -> {
      long start = afterSequence != null ? afterSequence : engine.events().lastSequence();
      if (!follow) {
        engine.events().read(start, limit != null ? limit : PAGE)
            .forEach(e -> root.printLine(Json.event(e)));
      } else if (name != null) {
        followDurably(engine, name, stopAfter);
      } else {
        follow(engine, start, stopAfter);
      }
    });
  }

  /** {@code --after}: a sequence, {@code now} (null: from the head), or the oldest when absent. */
  private static Long sequence(String after) {
    if (after == null) {
      return 0L;
    }
    if (after.equals("now")) {
      return null;
    }
    try {
      long sequence = Long.parseLong(after);
      if (sequence >= 0) {
        return sequence;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw VaultException.invalidRequest(
        "Option '--after' must be a sequence (0 or more) or now.", "after");
  }

  /**
   * Prints the stored events after {@code after}, then new ones. The subscription starts before
   * the stored events are read, so that nothing committed in between is missed; what it delivers
   * waits in a queue until the stored events are printed, and an event seen both ways is printed
   * once (by sequence).
   */
  private void follow(VaultEngine engine, long after, int stopAfter) {
    BlockingQueue<VaultEvent> arrived = new LinkedBlockingQueue<>();
    CountDownLatch interrupted = new CountDownLatch(1);
    int printed = 0;
    try (Subscription s = engine.events().subscribe(arrived::add)) {
      Thread hook = new Thread(interrupted::countDown);
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        long last = after;
        List<VaultEvent> page;
        do {
          page = engine.events().read(last, PAGE);
          for (VaultEvent e : page) {
            root.printLine(Json.event(e));
            last = e.sequence();
            if (stopAfter > 0 && ++printed >= stopAfter) {
              return;
            }
          }
        } while (page.size() == PAGE);
        while (interrupted.getCount() > 0) {
          VaultEvent e = arrived.poll(200, TimeUnit.MILLISECONDS);
          if (e != null && e.sequence() > last) {
            root.printLine(Json.event(e));
            last = e.sequence();
            if (stopAfter > 0 && ++printed >= stopAfter) {
              return;
            }
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        removeHook(hook);
      }
    }
  }

  /**
   * Prints what the durable subscriber {@code name} receives. Printed in the listener itself: an
   * event counts as handled (and the kept position moves past it) only once it is printed.
   */
  private void followDurably(VaultEngine engine, String name, int stopAfter) {
    AtomicInteger printed = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(1);
    dev.vaultengine.EventListener listener = e -> {
      root.printLine(Json.event(e));
      if (stopAfter > 0 && printed.incrementAndGet() >= stopAfter) {
        done.countDown();
      }
    };
    try (Subscription s = engine.events().subscribe(name, listener)) {
      Thread hook = new Thread(done::countDown);
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        done.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        removeHook(hook);
      }
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is exiting on Ctrl-C: the subscription closes with it.
    }
  }
}
