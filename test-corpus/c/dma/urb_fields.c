// SPDX-License-Identifier: GPL-2.0
/*
 * URB buffers set field by field in helpers whose only mention of struct urb is the parameter
 * list: parsed without headers, the struct type is unresolved, so the distinctive field names
 * transfer_buffer and setup_packet mark the sink (dma-sinks "?." rows, docs/kernel-facts.md §5.2).
 */
#include <linux/slab.h>
#include <linux/usb.h>

static void uf_set_buffer_bad(struct urb *urb)
{
	u8 status[2];

	urb->transfer_buffer = status; // expect: stack-dma
	urb->transfer_buffer_length = sizeof(status);
}

static void uf_set_setup_bad(struct urb *urb, u8 request)
{
	u8 setup[8] = { 0xc0, request };

	urb->setup_packet = setup; // expect: stack-dma
}

static int uf_set_buffer_ok(struct urb *urb)
{
	u8 *buf = kzalloc(64, GFP_KERNEL);

	if (!buf)
		return -ENOMEM;
	urb->transfer_buffer = buf;
	urb->transfer_buffer_length = 64;
	return 0;
}

/* A context pointer is not a DMA buffer. */
static void uf_context_ok(struct urb *urb)
{
	u8 cookie[4];

	urb->context = cookie;
}
