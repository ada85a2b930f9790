// SPDX-License-Identifier: GPL-2.0
/*
 * kvmalloc memory handed to a device: kvmalloc_node() falls back to vmalloc above PAGE_SIZE
 * when its flags may block and kmalloc failed (docs/kernel-facts.md §1.11). Reported if the size is
 * provably above PAGE_SIZE; at most a page it never falls back.
 */
#include <linux/dma-mapping.h>
#include <linux/slab.h>

#define KV_RING_BYTES (64 * 1024)

struct kv_dev {
	struct device *dev;
	void *ring;
	dma_addr_t dma;
	size_t size;
};

static void kv_big_bad(struct kv_dev *kv)
{
	void *ring = kvzalloc(KV_RING_BYTES, GFP_KERNEL);

	kv->dma = dma_map_single(kv->dev, ring, KV_RING_BYTES, DMA_TO_DEVICE); // expect: kvmalloc-dma
}

static void kv_array_bad(struct kv_dev *kv)
{
	kv->ring = kvcalloc(512, 16, GFP_KERNEL);
}

static void kv_array_map(struct kv_dev *kv)
{
	kv->dma = dma_map_single(kv->dev, kv->ring, 512 * 16, DMA_TO_DEVICE); // expect: kvmalloc-dma
}

/* At most PAGE_SIZE: kvmalloc never falls back to vmalloc. */
static void kv_small_ok(struct kv_dev *kv)
{
	void *buf = kvmalloc(256, GFP_KERNEL);

	kv->dma = dma_map_single(kv->dev, buf, 256, DMA_TO_DEVICE);
}

/*
 * Size unknown: not reported (precision first, see docs/rules/kvmalloc-dma.md); a known gap
 * when the size is in fact large.
 */
static void kv_unknown_size_ok(struct kv_dev *kv)
{
	void *buf = kvmalloc(kv->size, GFP_KERNEL);

	kv->dma = dma_map_single(kv->dev, buf, kv->size, DMA_TO_DEVICE);
}
