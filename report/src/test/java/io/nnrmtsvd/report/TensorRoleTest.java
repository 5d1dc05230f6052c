package io.nnrmtsvd.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TensorRoleTest {
    private static void assertRole(String name, String role, Integer... position) {
        assertEquals(new TensorRole(List.of(position), role), TensorRole.of(name), name);
    }

    @Test
    void huggingFaceLlamaAndMixtral() {
        assertRole("model.layers.3.self_attn.q_proj.weight", "q", 3);
        assertRole("model.layers.3.self_attn.k_proj.weight", "k", 3);
        assertRole("model.layers.3.self_attn.v_proj.weight", "v", 3);
        assertRole("model.layers.3.self_attn.o_proj.weight", "o", 3);
        assertRole("model.layers.12.mlp.gate_proj.weight", "gate", 12);
        assertRole("model.layers.12.mlp.up_proj.weight", "up", 12);
        assertRole("model.layers.12.mlp.down_proj.weight", "down", 12);
        assertRole("model.embed_tokens.weight", "embeddings");
        assertRole("lm_head.weight", TensorRole.OTHER);
        assertRole("model.layers.3.block_sparse_moe.experts.5.w1.weight", "gate", 3);
        assertRole("model.layers.3.block_sparse_moe.experts.5.w3.weight", "up", 3);
        assertRole("model.layers.3.block_sparse_moe.experts.5.w2.weight", "down", 3);
        assertRole("model.layers.3.block_sparse_moe.gate.weight", TensorRole.OTHER, 3);
    }

    @Test
    void gpt2TellsTheAttentionProjectionFromTheMlpOne() {
        assertRole("h.3.attn.c_attn.weight", "c_attn", 3);
        assertRole("h.3.attn.c_proj.weight", "c_proj (attn)", 3);
        assertRole("transformer.h.3.mlp.c_fc.weight", "c_fc", 3);
        assertRole("transformer.h.3.mlp.c_proj.weight", "c_proj (mlp)", 3);
        assertRole("wte.weight", "embeddings");
        assertRole("wpe.weight", "embeddings");
    }

    @Test
    void bertNamesItsProjectionsByTheirParents() {
        assertRole("encoder.layer.3.attention.self.query.weight", "q", 0, 3);
        assertRole("bert.encoder.layer.3.attention.self.key.weight", "k", 0, 3);
        assertRole("encoder.layer.3.attention.self.value.weight", "v", 0, 3);
        assertRole("encoder.layer.3.attention.output.dense.weight", "o", 0, 3);
        assertRole("encoder.layer.3.intermediate.dense.weight", "up", 0, 3);
        assertRole("encoder.layer.3.output.dense.weight", "down", 0, 3);
        assertRole("embeddings.word_embeddings.weight", "embeddings");
        assertRole("pooler.dense.weight", TensorRole.OTHER);
    }

    @Test
    void resNetStagesAndBlocksAndViTBlocks() {
        assertRole("layer2.1.conv1.weight", "conv", 2, 1);
        assertRole("layer4.0.downsample.0.weight", "conv", 4, 0);
        assertRole("conv1.weight", "conv");
        assertRole("fc.weight", TensorRole.OTHER);
        assertRole("blocks.3.attn.qkv.weight", "qkv", 3);
        assertRole("blocks.3.attn.proj.weight", "o", 3);
        assertRole("blocks.3.mlp.fc1.weight", "fc1", 3);
        assertRole("blocks.3.mlp.fc2.weight", "fc2", 3);
        assertRole("patch_embed.proj.weight", "embeddings");
    }

    @Test
    void otherSchemes() {
        assertRole("layers.3.weight", "dense", 3);
        assertRole("gpt_neox.layers.2.attention.query_key_value.weight", "qkv", 2);
        assertRole("gpt_neox.layers.2.attention.dense.weight", "o", 2);
        assertRole("gpt_neox.layers.2.mlp.dense_h_to_4h.weight", "up", 2);
        assertRole("model.decoder.layers.5.fc1.weight", "fc1", 1, 5);
        assertRole("encoder.block.3.layer.1.DenseReluDense.wo.weight", "down", 0, 3, 1);
        assertRole("layers.0.attention.wo.weight", "o", 0);
        assertRole("weird", TensorRole.OTHER);
        assertRole("", TensorRole.OTHER);
        assertRole("h.99999999999.attn.c_attn.weight", "c_attn"); // not a number we read: no block
        assertThrows(IllegalArgumentException.class, () -> new TensorRole(List.of(), "mlp"));
    }

    @Test
    void layerIndicesDropLeadingNumbersSharedByAllAndRankNestedBlocks() {
        Map<String, Integer> bert = TensorRole.layerIndices(List.of("encoder.layer.0.attention.self.query.weight",
                "encoder.layer.7.output.dense.weight", "embeddings.word_embeddings.weight"));
        assertEquals(Map.of("encoder.layer.0.attention.self.query.weight", 0,
                "encoder.layer.7.output.dense.weight", 7), bert, "the block number itself; embeddings have none");

        Map<String, Integer> resnet = TensorRole.layerIndices(List.of("layer1.0.conv1.weight", "layer1.1.conv2.weight",
                "layer2.0.conv1.weight", "layer2.0.downsample.0.weight", "layer10.0.conv1.weight", "conv1.weight"));
        assertEquals(Map.of("layer1.0.conv1.weight", 0, "layer1.1.conv2.weight", 1, "layer2.0.conv1.weight", 2,
                "layer2.0.downsample.0.weight", 2, "layer10.0.conv1.weight", 3), resnet, "blocks in order, numerically");

        Map<String, Integer> whisper = TensorRole.layerIndices(List.of("decoder.layers.0.fc1.weight",
                "encoder.layers.1.fc1.weight", "encoder.layers.0.fc1.weight"));
        assertEquals(Map.of("encoder.layers.0.fc1.weight", 0, "encoder.layers.1.fc1.weight", 1,
                "decoder.layers.0.fc1.weight", 2), whisper, "the decoder after the encoder");

        assertEquals(Map.of("model.layers.4.mlp.up_proj.weight", 4),
                TensorRole.layerIndices(List.of("model.layers.4.mlp.up_proj.weight")), "one layer keeps its number");
        assertFalse(TensorRole.of("lm_head.weight").inBlock());
        assertEquals(Map.of(), TensorRole.layerIndices(List.of("a.weight", "b.weight")));
    }
}
