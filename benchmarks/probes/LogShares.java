package dev.vaultengine.benchmarks;

import java.util.Arrays;

/**
 * Hand-run diagnosis (issues 13 and 17, session 10), not a JMH benchmark: what the engine's
 * logged create costs on SQLite beyond the raw rows it writes. Members take turns 100 operations
 * at a time in one JVM (order reversed every other block), each on a file of its own:
 * raw credential row; raw transaction of the log's rows (credential, event, audit, head); engine
 * create with events and audit off; engine create with both on (the defaults).
 *
 * <pre>javac -cp benchmarks/target/benchmarks.jar -d /tmp/probe benchmarks/probes/LogShares.java
 * java -cp benchmarks/target/benchmarks.jar:/tmp/probe dev.vaultengine.benchmarks.LogShares sqlite_normal 40</pre>
 */
public class LogShares {
  public static void main(String[] a) throws Exception {
    String kind = a[0];
    int blocks = Integer.parseInt(a[1]);
    Ops.JdbcFloor raw = new Ops.JdbcFloor(kind);
    Ops.JdbcFloor rawLog = Ops.JdbcFloor.withLogRows(kind);
    Ops.CreateLogged noLog = new Ops.CreateLogged(kind, Ops.NO_LOG);
    Ops.CreateLogged logged = new Ops.CreateLogged(kind, b -> {});
    noLog.beforeIteration();
    logged.beforeIteration();
    Runnable[] ops = {() -> call(raw::run), () -> call(rawLog::run), noLog::run, logged::run};
    String[] names = {"raw-row", "raw-log-rows", "engine-no-log", "engine-log"};
    for (int i = 0; i < 1000; i++) for (Runnable r : ops) r.run();
    double[][] t = new double[ops.length][blocks];
    for (int b = 0; b < blocks; b++) {
      for (int o = 0; o < ops.length; o++) {
        int oo = (b % 2 == 0) ? o : ops.length - 1 - o;
        long t0 = System.nanoTime();
        for (int i = 0; i < 100; i++) ops[oo].run();
        t[oo][b] = (System.nanoTime() - t0) / 100e3;
      }
    }
    StringBuilder sb = new StringBuilder(kind);
    double[] med = new double[ops.length];
    for (int o = 0; o < ops.length; o++) {
      Arrays.sort(t[o]);
      med[o] = t[o][blocks / 2];
      sb.append(String.format("  %s %.1f", names[o], med[o]));
    }
    sb.append(String.format("  | log adds: raw %.1f us, engine %.1f us", med[1] - med[0], med[3] - med[2]));
    System.out.println(sb);
    raw.close(); rawLog.close(); noLog.close(); logged.close();
  }

  interface Call { Object run() throws Exception; }

  static void call(Call c) {
    try { c.run(); } catch (Exception e) { throw new RuntimeException(e); }
  }
}
