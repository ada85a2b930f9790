// SPDX-License-Identifier: GPL-2.0
/*
 * Static and global buffers handed to a device (docs/kernel-facts.md §5.1, §5.4, §8): the DMA API
 * forbids kernel and module image addresses, and no runtime check catches it on x86_64.
 */
#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <linux/usb.h>

struct sd_dev {
	struct device *dev;
	struct usb_device *udev;
	dma_addr_t dma;
};

static u8 sd_fw_block[512];
u8 sd_shared_cmd[16];
static const u8 sd_init_seq[] = { 0x01, 0x02, 0x03 };
static u8 *sd_scratch;

static void sd_map_static_bad(struct sd_dev *sd)
{
	sd->dma = dma_map_single(sd->dev, sd_fw_block, sizeof(sd_fw_block), DMA_TO_DEVICE); // expect: static-dma
}

static int sd_global_bad(struct sd_dev *sd)
{
	return usb_control_msg(sd->udev, usb_sndctrlpipe(sd->udev, 0), 1, 0x40, 0, 0, // expect: static-dma
			       (void *)sd_init_seq, sizeof(sd_init_seq), 100);
}

static int sd_static_local_bad(struct sd_dev *sd)
{
	static u8 reply[4];
	int actual;

	return usb_bulk_msg(sd->udev, usb_rcvbulkpipe(sd->udev, 1), reply, 4, &actual, 100); // expect: static-dma
}

static void sd_offset_bad(struct sd_dev *sd)
{
	sd->dma = dma_map_single(sd->dev, &sd_shared_cmd[4], 4, DMA_TO_DEVICE); // expect: static-dma
}

/* A pointer global holding kmalloc'ed memory is fine. */
static int sd_alloc_scratch(void)
{
	sd_scratch = kmalloc(64, GFP_KERNEL);
	return sd_scratch ? 0 : -ENOMEM;
}

static void sd_pointer_global_ok(struct sd_dev *sd)
{
	sd->dma = dma_map_single(sd->dev, sd_scratch, 64, DMA_TO_DEVICE);
}

static int sd_copy_first_ok(struct sd_dev *sd)
{
	u8 *buf = kmemdup(sd_init_seq, sizeof(sd_init_seq), GFP_KERNEL);

	return usb_control_msg(sd->udev, usb_sndctrlpipe(sd->udev, 0), 1, 0x40, 0, 0, buf,
			       sizeof(sd_init_seq), 100);
}
