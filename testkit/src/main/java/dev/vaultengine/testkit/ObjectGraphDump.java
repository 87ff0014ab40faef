package dev.vaultengine.testkit;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The bytes an object graph holds: every string (as UTF-8 and UTF-16), char array and byte array
 * reachable from a root, for scanning a store's memory with {@link PlaintextScanner}. Collections
 * and records are walked through their public API; the project's own classes through their fields.
 */
public final class ObjectGraphDump {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();

  private ObjectGraphDump() {}

  /** Everything reachable from {@code root}. */
  public static byte[] of(Object root) {
    ObjectGraphDump d = new ObjectGraphDump();
    d.visit(root);
    return d.out.toByteArray();
  }

  private void visit(Object o) {
    if (o == null || seen.put(o, Boolean.TRUE) != null) {
      return;
    }
    if (o instanceof String s) {
      out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
      out.writeBytes(s.getBytes(StandardCharsets.UTF_16LE));
    } else if (o instanceof byte[] b) {
      out.writeBytes(b);
    } else if (o instanceof char[] c) {
      out.writeBytes(new String(c).getBytes(StandardCharsets.UTF_16LE));
    } else if (o.getClass().isArray()) {
      if (!o.getClass().getComponentType().isPrimitive()) {
        for (int i = 0; i < Array.getLength(o); i++) {
          visit(Array.get(o, i));
        }
      }
    } else if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> {
        visit(k);
        visit(v);
      });
    } else if (o instanceof Collection<?> c) {
      c.forEach(this::visit);
    } else if (o instanceof Enum<?> e) {
      out.writeBytes(e.name().getBytes(StandardCharsets.UTF_8));
    } else if (o instanceof Optional<?> opt) {
      opt.ifPresent(this::visit);
    } else if (o.getClass().isRecord()) {
      for (RecordComponent rc : o.getClass().getRecordComponents()) {
        try {
          rc.getAccessor().setAccessible(true);
          visit(rc.getAccessor().invoke(o));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
    } else if (o.getClass().getName().startsWith("dev.vaultengine.")) {
      for (Class<?> c = o.getClass(); c != null && c.getName().startsWith("dev.vaultengine.");
          c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (Modifier.isStatic(f.getModifiers()) || f.getType().getName().startsWith(
              "java.util.concurrent.locks")) {
            continue;
          }
          try {
            f.setAccessible(true);
            visit(f.get(o));
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    } else {
      out.writeBytes(String.valueOf(o).getBytes(StandardCharsets.UTF_8));
    }
  }
}
