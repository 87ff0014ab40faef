package dev.vaultengine.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the groups of {@link Interleaved}, each in its own JMH run with iteration counts that are a
 * multiple of its size, and writes one JMH JSON file per group.
 *
 * <p>Arguments: {@code quick|full} output-directory [JMH options, e.g. {@code -jvmArgs "..."}].
 * The system property {@code groups} (a regular expression) picks groups by method name;
 * {@code noPostgres=true} leaves out the groups that need the PostgreSQL server.
 *
 * <ul>
 *   <li>quick: 1 fork per group; 5 rounds of 0.5 s per member
 *   <li>full: 2 forks per group; 8 rounds of 1 s per member in each fork (16 rounds)
 * </ul>
 *
 * Warm-up: one-second iterations, taking turns like the measurement, as many per member as the
 * group asks ({@link Interleaved#GROUPS}).
 */
public final class Rounds {
  private Rounds() {}

  /** Runs the groups. */
  public static void main(String[] args) throws Exception {
    boolean full = args[0].equals("full");
    if (!full && !args[0].equals("quick")) {
      throw new IllegalArgumentException("mode must be quick or full: " + args[0]);
    }
    Path out = Path.of(args[1]);
    Files.createDirectories(out);
    CommandLineOptions cli = new CommandLineOptions(Arrays.copyOfRange(args, 2, args.length));
    Pattern pick = Pattern.compile(System.getProperty("groups", ".*"));
    int forks = full ? 2 : 1;
    int rounds = full ? 8 : 5;
    TimeValue measure = full ? TimeValue.seconds(1) : TimeValue.milliseconds(500);
    for (Interleaved.Group g : Interleaved.GROUPS) {
      if (!pick.matcher(g.method()).matches()) {
        continue;
      }
      if (Boolean.getBoolean("noPostgres") && g.method().contains("Postgres")) {
        System.out.printf(Locale.ROOT, "# group %s skipped: no PostgreSQL (noPostgres)%n",
            g.method());
        continue;
      }
      int k = g.size();
      int warmups = (full ? g.warmupFull() : g.warmupQuick()) * k;
      System.out.printf(Locale.ROOT, "# group %s: %s; %d forks x (%d warm-up x 1 s, %d rounds x "
          + "%d x %s)%n", g.method(), g.members(), forks, warmups, rounds, k, measure);
      new Runner(new OptionsBuilder().parent(cli)
          .include(Pattern.quote(Interleaved.class.getName() + "." + g.method()) + "$")
          .forks(forks)
          .warmupIterations(warmups).warmupTime(TimeValue.seconds(1))
          .measurementIterations(rounds * k).measurementTime(measure)
          .timeUnit(TimeUnit.MICROSECONDS)
          .resultFormat(ResultFormatType.JSON)
          .result(out.resolve("interleaved-" + g.method() + ".json").toString())
          .build()).run();
    }
  }
}
