package io.nnrmtsvd.hadoop;

import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A path of a {@link HadoopFileSystem}: names separated by "/", absolute when it starts with "/".
 * It prints as the full URI ({@code hdfs://namenode/models/llama}) so that messages name the file
 * as the user gave it.
 */
final class HadoopPath implements Path {
    private final HadoopFileSystem fs;
    private final boolean absolute;
    private final List<String> names;

    HadoopPath(HadoopFileSystem fs, String path) {
        this(fs, path.startsWith("/"), split(path));
    }

    private HadoopPath(HadoopFileSystem fs, boolean absolute, List<String> names) {
        this.fs = fs;
        this.absolute = absolute;
        this.names = List.copyOf(names);
    }

    private static List<String> split(String path) {
        List<String> names = new ArrayList<>();
        for (String n : path.split("/")) {
            if (!n.isEmpty()) {
                names.add(n);
            }
        }
        return names;
    }

    /** The path part, e.g. {@code /models/llama}. */
    String pathText() {
        return (absolute ? "/" : "") + String.join("/", names);
    }

    /** This path as a Hadoop path, absolute against the file system's working directory. */
    org.apache.hadoop.fs.Path toHadoop() {
        return new org.apache.hadoop.fs.Path(toUri());
    }

    private HadoopPath of(HadoopPath other) {
        if (other.fs != fs) {
            throw new ProviderMismatchException();
        }
        return other;
    }

    private static HadoopPath cast(HadoopFileSystem fs, Path other) {
        if (!(other instanceof HadoopPath p) || p.fs != fs) {
            throw new ProviderMismatchException();
        }
        return p;
    }

    @Override
    public FileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return absolute;
    }

    @Override
    public Path getRoot() {
        return absolute ? new HadoopPath(fs, true, List.of()) : null;
    }

    @Override
    public Path getFileName() {
        return names.isEmpty() ? null : new HadoopPath(fs, false, List.of(names.get(names.size() - 1)));
    }

    @Override
    public Path getParent() {
        if (names.isEmpty() || !absolute && names.size() == 1) {
            return null;
        }
        return new HadoopPath(fs, absolute, names.subList(0, names.size() - 1));
    }

    @Override
    public int getNameCount() {
        return names.size();
    }

    @Override
    public Path getName(int index) {
        return new HadoopPath(fs, false, List.of(names.get(index)));
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        return new HadoopPath(fs, false, names.subList(beginIndex, endIndex));
    }

    @Override
    public boolean startsWith(Path other) {
        HadoopPath p = cast(fs, other);
        return p.absolute == absolute && p.names.size() <= names.size()
                && names.subList(0, p.names.size()).equals(p.names);
    }

    @Override
    public boolean endsWith(Path other) {
        HadoopPath p = cast(fs, other);
        if (p.absolute) {
            return equals(p);
        }
        return p.names.size() <= names.size() && names.subList(names.size() - p.names.size(), names.size())
                .equals(p.names);
    }

    @Override
    public Path normalize() {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (n.equals(".")) {
                continue;
            }
            if (n.equals("..") && !out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                out.remove(out.size() - 1);
            } else if (!(n.equals("..") && absolute)) {
                out.add(n);
            }
        }
        return new HadoopPath(fs, absolute, out);
    }

    @Override
    public Path resolve(Path other) {
        HadoopPath p = cast(fs, other);
        if (p.absolute) {
            return p;
        }
        List<String> joined = new ArrayList<>(names);
        joined.addAll(p.names);
        return new HadoopPath(fs, absolute, joined);
    }

    @Override
    public Path relativize(Path other) {
        HadoopPath p = cast(fs, other);
        if (p.absolute != absolute) {
            throw new IllegalArgumentException("one path is absolute and the other is not");
        }
        int common = 0;
        while (common < names.size() && common < p.names.size() && names.get(common).equals(p.names.get(common))) {
            common++;
        }
        List<String> out = new ArrayList<>();
        for (int i = common; i < names.size(); i++) {
            out.add("..");
        }
        out.addAll(p.names.subList(common, p.names.size()));
        return new HadoopPath(fs, false, out);
    }

    @Override
    public URI toUri() {
        return fs.uriOf(((HadoopPath) toAbsolutePath()).pathText());
    }

    @Override
    public Path toAbsolutePath() {
        return absolute ? this : of((HadoopPath) fs.workingDirectory()).resolve(this);
    }

    @Override
    public Path toRealPath(LinkOption... options) {
        return toAbsolutePath().normalize();
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
        throw new UnsupportedOperationException("watching a Hadoop file system");
    }

    @Override
    public int compareTo(Path other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HadoopPath p && p.fs == fs && p.absolute == absolute && p.names.equals(names);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new Object[] {absolute, names});
    }

    @Override
    public String toString() {
        return absolute ? toUri().toString() : pathText();
    }
}
