// SPDX-License-Identifier: GPL-2.0
// kmodcheck-kernel-summaries: 6.1
/*
 * Memory a kernel function returns that may be vmalloc memory, known only from the kernel
 * summaries (docs/kernel-summaries.md): transport_kmap_data_sg() vmap()s a command's pages when
 * there is more than one, so it is not DMA-safe (docs/kernel-facts.md §5.1). The corpus scans
 * this file a second time without summaries, where every expect-summary line has no finding.
 * 6.1: its dma_vmap_noncontiguous() vmaps in kernel/dma itself; 6.12 does it in drivers/iommu, a
 * directory away, which vmalloc return facts do not cross (docs/kernel-summaries.md).
 */
#include <linux/dma-mapping.h>
#include <linux/usb.h>
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

/*
 * dma_vmap_noncontiguous() is a vmap() of pages dma_alloc_noncontiguous() already mapped: the
 * URB carries that mapping in transfer_dma, and URB_NO_TRANSFER_DMA_MAP tells the USB core not
 * to map transfer_buffer again.
 */
struct ks_cam {
	struct usb_device *udev;
	struct urb *urb;
	struct sg_table *sgt;
	dma_addr_t dma;
	void *buffer;
};

static int ks_cam_submit_ok(struct ks_cam *c, size_t size)
{
	c->buffer = dma_vmap_noncontiguous(&c->udev->dev, size, c->sgt);
	if (!c->buffer)
		return -ENOMEM;
	usb_fill_bulk_urb(c->urb, c->udev, usb_rcvbulkpipe(c->udev, 1), c->buffer, size, NULL, c);
	c->urb->transfer_flags = URB_NO_TRANSFER_DMA_MAP;
	c->urb->transfer_dma = c->dma;
	return usb_submit_urb(c->urb, GFP_KERNEL);
}

static int ks_cam_submit_bad(struct ks_cam *c, size_t size)
{
	c->buffer = dma_vmap_noncontiguous(&c->udev->dev, size, c->sgt);
	if (!c->buffer)
		return -ENOMEM;
	c->urb->transfer_buffer = c->buffer; // expect-summary: vmalloc-dma
	c->urb->transfer_buffer_length = size;
	return usb_submit_urb(c->urb, GFP_KERNEL);
}
