// SPDX-License-Identifier: GPL-2.0
/*
 * Memory a kernel function returns that may be vmalloc memory, known only from the kernel
 * summaries (docs/kernel-summaries.md): transport_kmap_data_sg() vmap()s a command's pages when
 * there is more than one, so the result is not DMA-able (kernel-facts §5.1). The corpus scans
 * this file a second time without summaries, where every expect-summary line has no finding.
 */
#include <linux/dma-mapping.h>
#include <target/target_core_backend.h>

struct ks_tgt {
	struct device *dev;
	dma_addr_t dma;
};

static int ks_tgt_write_bad(struct ks_tgt *t, struct se_cmd *cmd, size_t len)
{
	void *buf = transport_kmap_data_sg(cmd);

	if (!buf)
		return -ENOMEM;
	t->dma = dma_map_single(t->dev, buf, len, DMA_TO_DEVICE); // expect-summary: vmalloc-dma
	transport_kunmap_data_sg(cmd);
	return 0;
}

static int ks_tgt_write_ok(struct ks_tgt *t, struct se_cmd *cmd, size_t len)
{
	void *buf = kmalloc(len, GFP_KERNEL);

	if (!buf)
		return -ENOMEM;
	sg_copy_to_buffer(cmd->t_data_sg, cmd->t_data_nents, buf, len);
	t->dma = dma_map_single(t->dev, buf, len, DMA_TO_DEVICE);
	return 0;
}
