package studio.nexus.testing;

final class Collect {
    static synchronized boolean log(String kind, String what, java.util.List<String> v) {
        String file = System.getenv("STUDIO_CONTRACT_LOG");
        if (file == null) return false;
        String test = "?";
        for (StackTraceElement e : Thread.currentThread().getStackTrace()) {
            if (e.getClassName().endsWith("IT") || e.getClassName().contains("IT$")) { test = e.getClassName().replaceAll(".*\\.", "") + "." + e.getMethodName() + ":" + e.getLineNumber(); break; }
        }
        try (var w = new java.io.FileWriter(file, true)) {
            for (String x : v) w.write(kind + "\t" + test + "\t" + what + "\t" + x + "\n");
        } catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }
        return true;
    }
}
