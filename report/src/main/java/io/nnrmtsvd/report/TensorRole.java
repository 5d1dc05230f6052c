package io.nnrmtsvd.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a tensor sits in a network, read from its name alone: the numbers of the block it belongs
 * to and its role there, so that metrics can be drawn against depth with one line per role. Knows
 * the common naming schemes: Hugging Face Llama and Mistral ({@code model.layers.3.self_attn.q_proj.weight},
 * {@code mlp.gate_proj}), GPT-2 ({@code h.3.attn.c_attn.weight}, {@code mlp.c_fc}), BERT
 * ({@code encoder.layer.3.attention.self.query.weight}, {@code intermediate.dense}), GPT-NeoX,
 * OPT and T5, ResNet ({@code layer2.1.conv1.weight}), ViT in timm ({@code blocks.3.attn.qkv.weight},
 * {@code mlp.fc1}) and rmtsvd models ({@code layers.3.weight}). A name it does not know is role
 * {@value #OTHER}, and has no block when no block word precedes a number.
 *
 * @param position the block's numbers, outermost first: {@code [3]} for {@code h.3.*}, {@code [2, 1]}
 *     for ResNet's {@code layer2.1.*}; an encoder's blocks are prefixed with 0 and a decoder's with 1, so
 *     that a decoder comes after its encoder; empty when the name has no block
 * @param role one of {@link #ROLES}
 */
public record TensorRole(List<Integer> position, String role) {
    /** Role of a tensor no rule knows. */
    public static final String OTHER = "other";
    /** Every role, in the order legends list them. */
    public static final List<String> ROLES = List.of("q", "k", "v", "o", "qkv", "c_attn", "c_proj (attn)", "gate",
            "up", "down", "fc1", "fc2", "c_fc", "c_proj (mlp)", "conv", "dense", "embeddings", OTHER);

    /** Words followed by a block's number: {@code layers.3}, {@code h.3}, {@code blocks.3}. */
    private static final Set<String> BLOCK_WORDS = Set.of("layers", "layer", "h", "blocks", "block", "stages",
            "stage", "resblocks");
    /** ResNet's stage word with its number in it: {@code layer2.1}. */
    private static final Pattern NUMBERED_STAGE = Pattern.compile("layer(\\d+)");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,9}");
    private static final Map<String, String> BY_LEAF = leafRoles();

    public TensorRole {
        position = List.copyOf(position);
        if (!ROLES.contains(role)) {
            throw new IllegalArgumentException("unknown role " + role);
        }
    }

    /** The block and role of the tensor called {@code name}. */
    public static TensorRole of(String name) {
        String[] tokens = name.toLowerCase(Locale.ROOT).split("\\.");
        Integer stack = null; // 0 encoder, 1 decoder
        List<Integer> block = new ArrayList<>();
        List<String> words = new ArrayList<>(); // the name without numbers, block words and the weight/bias suffix
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            boolean numberFollows = i + 1 < tokens.length && NUMBER.matcher(tokens[i + 1]).matches();
            Matcher stage = NUMBERED_STAGE.matcher(t);
            if (numberFollows && BLOCK_WORDS.contains(t)) {
                block.add(Integer.parseInt(tokens[++i]));
            } else if (numberFollows && stage.matches()) {
                block.add(Integer.parseInt(stage.group(1)));
                block.add(Integer.parseInt(tokens[++i]));
            } else if (!NUMBER.matcher(t).matches()
                    && !(i == tokens.length - 1 && (t.equals("weight") || t.equals("bias")))) {
                if (stack == null && (t.equals("encoder") || t.equals("decoder"))) {
                    stack = t.equals("encoder") ? 0 : 1;
                }
                words.add(t);
            }
        }
        List<Integer> position = new ArrayList<>();
        if (stack != null && !block.isEmpty()) {
            position.add(stack);
        }
        position.addAll(block);
        return new TensorRole(position, role(words, !block.isEmpty()));
    }

    private static String role(List<String> words, boolean inBlock) {
        if (words.stream().anyMatch(w -> w.contains("embed") || w.equals("wte") || w.equals("wpe"))) {
            return "embeddings";
        }
        if (words.isEmpty()) { // an rmtsvd model's layers.{i}.weight
            return inBlock ? "dense" : OTHER;
        }
        String leaf = words.get(words.size() - 1);
        String parent = words.size() > 1 ? words.get(words.size() - 2) : "";
        boolean attention = words.stream().anyMatch(w -> w.contains("attn") || w.contains("attention"));
        if (leaf.equals("c_proj")) {
            return attention ? "c_proj (attn)" : "c_proj (mlp)";
        }
        if (leaf.equals("wo")) { // T5's feed-forward output; Llama's original attention output
            return words.contains("densereludense") ? "down" : "o";
        }
        if (leaf.equals("dense") || leaf.equals("proj")) { // BERT, GPT-NeoX and timm name by their parent
            if (attention) {
                return "o";
            }
            return parent.equals("intermediate") ? "up" : parent.equals("output") ? "down" : OTHER;
        }
        String known = BY_LEAF.get(leaf);
        if (known != null) {
            return known;
        }
        if (leaf.startsWith("conv") || words.contains("downsample") || words.contains("shortcut")) {
            return "conv";
        }
        return OTHER;
    }

    private static Map<String, String> leafRoles() {
        Map<String, String> m = new HashMap<>();
        for (String leaf : List.of("q_proj", "q", "query", "wq", "q_lin", "to_q")) {
            m.put(leaf, "q");
        }
        for (String leaf : List.of("k_proj", "k", "key", "wk", "k_lin", "to_k")) {
            m.put(leaf, "k");
        }
        for (String leaf : List.of("v_proj", "v", "value", "wv", "v_lin", "to_v")) {
            m.put(leaf, "v");
        }
        for (String leaf : List.of("o_proj", "out_proj", "o", "out_lin", "to_out")) {
            m.put(leaf, "o");
        }
        for (String leaf : List.of("qkv", "qkv_proj", "query_key_value", "wqkv")) {
            m.put(leaf, "qkv");
        }
        // Llama's original and Mixtral's feed-forward: w1 gate, w3 up, w2 down; T5 v1.1: wi_0 gate, wi_1 up.
        for (String leaf : List.of("gate_proj", "w1", "wi_0")) {
            m.put(leaf, "gate");
        }
        for (String leaf : List.of("up_proj", "w3", "wi", "wi_1", "dense_h_to_4h", "fc_in")) {
            m.put(leaf, "up");
        }
        for (String leaf : List.of("down_proj", "w2", "dense_4h_to_h", "fc_out")) {
            m.put(leaf, "down");
        }
        for (String leaf : List.of("c_attn", "c_fc", "fc1", "fc2")) {
            m.put(leaf, leaf);
        }
        return Map.copyOf(m);
    }

    /** Whether the name places the tensor in a block. */
    public boolean inBlock() {
        return !position.isEmpty();
    }

    /**
     * The layer index of each named tensor that is in a block, for the horizontal axis of a depth
     * plot. Leading numbers the same for every such tensor are dropped (BERT's encoder, OPT's
     * decoder); then when one number is left, it is the index (so layers left out leave gaps), and
     * when more are (ResNet's stage and block, an encoder and a decoder), the index is the rank of
     * the block among the blocks named, in order.
     *
     * @return index by name, for the names in a block only
     */
    public static Map<String, Integer> layerIndices(Collection<String> names) {
        Map<String, List<Integer>> positions = new HashMap<>();
        for (String name : names) {
            TensorRole r = of(name);
            if (r.inBlock()) {
                positions.put(name, r.position());
            }
        }
        int drop = 0;
        while (sameEverywhere(positions.values(), drop)) {
            drop++;
        }
        final int dropped = drop;
        Map<String, Integer> indices = new HashMap<>();
        if (positions.values().stream().allMatch(p -> p.size() - dropped == 1)) {
            positions.forEach((name, p) -> indices.put(name, p.get(dropped)));
            return indices;
        }
        Comparator<List<Integer>> order = (a, b) -> {
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                int c = Integer.compare(a.get(i), b.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(a.size(), b.size());
        };
        TreeSet<List<Integer>> blocks = new TreeSet<>(order);
        blocks.addAll(positions.values());
        Map<List<Integer>, Integer> rank = new HashMap<>();
        blocks.forEach(b -> rank.put(b, rank.size()));
        positions.forEach((name, p) -> indices.put(name, rank.get(p)));
        return indices;
    }

    /** Whether every position is longer than {@code at} and has the same number there (and there are some). */
    private static boolean sameEverywhere(Collection<List<Integer>> positions, int at) {
        Integer value = null;
        for (List<Integer> p : positions) {
            if (p.size() <= at + 1) { // keep at least one number
                return false;
            }
            if (value == null) {
                value = p.get(at);
            } else if (!value.equals(p.get(at))) {
                return false;
            }
        }
        return value != null;
    }
}
