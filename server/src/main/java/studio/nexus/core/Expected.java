package studio.nexus.core;

import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What a write expects the object it changes to be, from the entity tags the caller read ({@code If-Match}): any
 * version ({@link #UNCHECKED}, no tag sent: the write applies to whatever is there, as before versions existed), any
 * existing one ({@code *}), or one of the listed tags. A tag is an object's version as its feature writes it (a track's
 * is {@code "<settings version>.<chain version>"}); a tag that names no version the object has, or a weak one, never
 * matches. Features check it in the transaction that writes, after locking what they change.
 */
public record Expected(boolean checked, boolean anyVersion, List<String> tags) {
    public static final Expected UNCHECKED = new Expected(false, true, List.of());

    public Expected {
        tags = List.copyOf(tags);
    }

    public static Expected oneOf(List<String> tags) {
        return new Expected(true, false, tags);
    }

    public static Expected anyExisting() {
        return new Expected(true, true, List.of());
    }

    /** Whether a write may go ahead: unchecked, {@code *}, or some tag the caller sent passes {@code matches}. */
    public boolean allows(Predicate<String> matches) {
        return !checked || anyVersion || tags.stream().anyMatch(matches);
    }

    /**
     * Goes ahead when the object's tag is {@code current}; else refuses as stale with {@code what} (in words), the
     * current tag and the object's current state (read only then).
     */
    public void require(String what, String current, Supplier<Object> state) {
        if (!allows(current::equals)) {
            throw Failure.stale(what, quoted(current), state.get());
        }
    }

    /**
     * The tag of an object versioned in two parts (a track's settings and chain, a project's settings and chain):
     * {@code "<first>.<second>"}.
     */
    public static String twoParts(long first, long second) {
        return first + "." + second;
    }

    /**
     * Goes ahead on an object versioned in two parts when some tag the caller sent matches the parts the write
     * changes ({@code changesFirst}, {@code changesSecond}), so two people changing different parts both go through;
     * else refuses as stale with {@code what}, the current tag and the current state (read only then).
     */
    public void requireParts(String what, long first, long second, boolean changesFirst, boolean changesSecond,
                             Supplier<Object> state) {
        boolean passes = allows(tag -> {
            String[] parts = tag.split("\\.", -1);
            return parts.length == 2 && (!changesFirst || parts[0].equals(Long.toString(first)))
                    && (!changesSecond || parts[1].equals(Long.toString(second)));
        });
        if (!passes) {
            throw Failure.stale(what, quoted(twoParts(first, second)), state.get());
        }
    }

    /** An entity tag as HTTP writes it: a version in quotes. */
    public static String quoted(String version) {
        return '"' + version + '"';
    }
}
