// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc memory for a device (docs/kernel-facts.md §5.1-§5.3): dma_map_single() rejects it, and
 * virt_to_page()-based sinks give the device the wrong pages. Per-page mapping through
 * vmalloc_to_page() is the correct way and is not reported.
 */
#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

struct vd_dev {
	struct device *dev;
	void *ring;
	size_t size;
	dma_addr_t ring_dma;
};

static int vd_map_direct_bad(struct vd_dev *vd)
{
	void *buf = vzalloc(vd->size);

	if (!buf)
		return -ENOMEM;
	vd->ring_dma = dma_map_single(vd->dev, buf, vd->size, DMA_TO_DEVICE); // expect: vmalloc-dma
	return 0;
}

/* An alias, a cast and an offset into the buffer keep pointing into vmalloc memory. */
static int vd_map_alias_offset_bad(struct vd_dev *vd, size_t off)
{
	u8 *base = vmalloc(vd->size);
	void *alias;

	if (!base)
		return -ENOMEM;
	alias = (void *)base;
	vd->ring_dma = dma_map_single(vd->dev, alias + off, 64, DMA_TO_DEVICE); // expect: vmalloc-dma
	vd->ring_dma = dma_map_single(vd->dev, &base[off], 64, DMA_TO_DEVICE); // expect: vmalloc-dma
	return 0;
}

static void vd_sg_bad(struct vd_dev *vd, struct scatterlist *sg)
{
	void *buf = __vmalloc(vd->size, GFP_KERNEL);

	sg_init_one(sg, buf, vd->size); // expect: vmalloc-dma
}

static dma_addr_t vd_map_page_bad(struct vd_dev *vd)
{
	void *buf = vmalloc_32(PAGE_SIZE);

	return dma_map_page(vd->dev, virt_to_page(buf), 0, PAGE_SIZE, DMA_FROM_DEVICE); // expect: vmalloc-dma
}

/* The helper returns vmalloc memory: the caller's mapping is wrong (return summary). */
static void *vd_alloc_table(size_t size)
{
	return vzalloc(size);
}

static int vd_return_summary_bad(struct vd_dev *vd)
{
	void *table = vd_alloc_table(vd->size);

	vd->ring_dma = dma_map_single(vd->dev, table, vd->size, DMA_TO_DEVICE); // expect: vmalloc-dma
	return 0;
}

/* The helper maps its parameter; one caller passes vmalloc memory (parameter summary). */
static dma_addr_t vd_map_helper(struct vd_dev *vd, void *data, size_t len)
{
	return dma_map_single(vd->dev, data, len, DMA_TO_DEVICE); // expect: vmalloc-dma
}

static void vd_param_summary_bad(struct vd_dev *vd)
{
	void *data = vmalloc(vd->size);

	vd->ring_dma = vd_map_helper(vd, data, vd->size);
}

static void vd_param_summary_ok(struct vd_dev *vd)
{
	void *data = kmalloc(64, GFP_KERNEL);

	vd->ring_dma = vd_map_helper(vd, data, 64);
}

/* A field written with vmalloc memory in one function and mapped in another. */
static int vd_alloc_ring(struct vd_dev *vd)
{
	vd->ring = vzalloc(vd->size);
	return vd->ring ? 0 : -ENOMEM;
}

static void vd_start_ring_bad(struct vd_dev *vd)
{
	vd->ring_dma = dma_map_single(vd->dev, vd->ring, vd->size, DMA_BIDIRECTIONAL); // expect: vmalloc-dma
}

/* Correct: map a vmalloc buffer page by page through vmalloc_to_page(). */
static void vd_per_page_ok(struct vd_dev *vd, struct scatterlist *sg, int npages)
{
	u8 *buf = vmalloc(npages * PAGE_SIZE);
	int i;

	for (i = 0; i < npages; i++)
		sg_set_page(&sg[i], vmalloc_to_page(buf + i * PAGE_SIZE), PAGE_SIZE, 0);
}

static void vd_coherent_ok(struct vd_dev *vd)
{
	void *buf = dma_alloc_coherent(vd->dev, vd->size, &vd->ring_dma, GFP_KERNEL);

	sg_init_one(NULL, buf, vd->size);
}

static void vd_kmalloc_ok(struct vd_dev *vd)
{
	void *buf = kmalloc(vd->size, GFP_KERNEL);

	vd->ring_dma = dma_map_single(vd->dev, buf, vd->size, DMA_TO_DEVICE);
}

/* A bounce buffer for the vmalloc case: the function asks is_vmalloc_addr() itself. */
static void vd_bounce_ok(struct vd_dev *vd, void *data, size_t len)
{
	void *buf = vmalloc(len);

	if (is_vmalloc_addr(buf)) {
		void *bounce = kmemdup(buf, len, GFP_KERNEL);

		vd->ring_dma = dma_map_single(vd->dev, bounce, len, DMA_TO_DEVICE);
		return;
	}
	vd->ring_dma = dma_map_single(vd->dev, buf, len, DMA_TO_DEVICE);
}

/* Reassigned before the mapping: the local's latest value counts. */
static void vd_reassigned_ok(struct vd_dev *vd)
{
	void *buf = vmalloc(vd->size);

	vfree(buf);
	buf = kzalloc(64, GFP_KERNEL);
	vd->ring_dma = dma_map_single(vd->dev, buf, 64, DMA_TO_DEVICE);
}

/* A vmalloc'ed buffer that is only copied into a DMA-safe one. */
static void vd_copy_ok(struct vd_dev *vd, void *dma_buf)
{
	void *staging = vmalloc(vd->size);

	memcpy(dma_buf, staging, 64);
	vd->ring_dma = dma_map_single(vd->dev, dma_buf, 64, DMA_TO_DEVICE);
}

/* The SPI core maps vmalloc buffers page by page (6.1 drivers/spi/spi.c:1044-1090). */
static int vd_spi_vmalloc_ok(struct spi_device *spi, size_t len)
{
	u8 *buf = vmalloc(len);

	return spi_write(spi, buf, len);
}
