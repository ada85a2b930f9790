// SPDX-License-Identifier: GPL-2.0
/*
 * Stack memory for a device (docs/kernel-facts.md §5.1, §5.3, §5.4): with CONFIG_VMAP_STACK the
 * stack is vmalloc memory; the USB core rejects stack transfer buffers and setup packets.
 * APIs documented to copy the buffer (usb_control_msg_send/recv, spi_write_then_read, i2c) are
 * not sinks.
 */
#include <linux/i2c.h>
#include <linux/slab.h>
#include <linux/spi/spi.h>
#include <linux/usb.h>

struct st_dev {
	struct usb_device *udev;
	struct spi_device *spi;
	struct i2c_client *client;
	struct urb *urb;
	u8 status[8];
};

struct st_cmd {
	u8 opcode;
	u8 arg;
	__le16 len;
};

static int st_read_reg_bad(struct st_dev *st, u16 reg)
{
	u8 buf[2];

	return usb_control_msg(st->udev, usb_rcvctrlpipe(st->udev, 0), 0x01, 0xc0, 0, reg, // expect: stack-dma
			       buf, sizeof(buf), 1000);
}

static int st_send_cmd_bad(struct st_dev *st)
{
	struct st_cmd cmd = { .opcode = 3 };
	int actual;

	return usb_bulk_msg(st->udev, usb_sndbulkpipe(st->udev, 1), &cmd, sizeof(cmd), &actual, 1000); // expect: stack-dma
}

static int st_value_bad(struct st_dev *st)
{
	__le32 val = cpu_to_le32(1);

	return usb_interrupt_msg(st->udev, usb_sndintpipe(st->udev, 2), &val, sizeof(val), NULL, 100); // expect: stack-dma
}

static int st_spi_write_bad(struct st_dev *st, u8 reg, u8 value)
{
	u8 tx[2] = { reg, value };

	return spi_write(st->spi, tx, sizeof(tx)); // expect: stack-dma
}

/* The transfer's buffers are set in an initialiser and submitted with spi_sync(). */
static int st_spi_transfer_bad(struct st_dev *st)
{
	u8 rx[4];
	struct spi_transfer xfer = {
		.rx_buf = rx, // expect: stack-dma
		.len = sizeof(rx),
	};

	return spi_sync_transfer(st->spi, &xfer, 1);
}

static void st_urb_field_bad(struct st_dev *st)
{
	u8 setup[8];

	st->urb->setup_packet = setup; // expect: stack-dma
}

static void st_fill_urb_bad(struct st_dev *st, void (*done)(struct urb *))
{
	struct usb_ctrlrequest req;
	u8 *data = kmalloc(16, GFP_KERNEL);

	usb_fill_control_urb(st->urb, st->udev, usb_sndctrlpipe(st->udev, 0), (u8 *)&req, data, // expect: stack-dma
			     16, done, st);
}

/* A helper in the same file maps its parameter; the caller passes a stack buffer. */
static int st_xfer(struct st_dev *st, void *data, int len)
{
	int actual;

	return usb_bulk_msg(st->udev, usb_rcvbulkpipe(st->udev, 1), data, len, &actual, 100); // expect: stack-dma
}

static int st_helper_bad(struct st_dev *st)
{
	u8 reply[16];

	return st_xfer(st, reply + 2, 8);
}

/* Correct: copying helpers accept stack buffers (docs/kernel-facts.md §5.2). */
static int st_copying_ok(struct st_dev *st, u16 reg)
{
	u8 buf[2];
	u8 cmd = 0x10;
	u8 id;
	int ret;

	ret = usb_control_msg_recv(st->udev, 0, 0x01, 0xc0, 0, reg, buf, sizeof(buf), 1000,
				   GFP_KERNEL);
	if (ret)
		return ret;
	ret = spi_write_then_read(st->spi, &cmd, 1, &id, 1);
	if (ret)
		return ret;
	return i2c_master_send(st->client, buf, sizeof(buf));
}

static int st_kmalloc_ok(struct st_dev *st, u16 reg)
{
	u8 *buf = kmalloc(2, GFP_KERNEL);
	int ret;

	if (!buf)
		return -ENOMEM;
	ret = usb_control_msg(st->udev, usb_rcvctrlpipe(st->udev, 0), 0x01, 0xc0, 0, reg, buf, 2,
			      1000);
	kfree(buf);
	return ret;
}

/* A buffer embedded in the kmalloc'ed device structure is not on the stack. */
static int st_embedded_ok(struct st_dev *st)
{
	return spi_read(st->spi, st->status, sizeof(st->status));
}

/* A local pointer to heap memory is itself on the stack; what it points to is not. */
static int st_local_pointer_ok(struct st_dev *st)
{
	struct st_cmd *cmd = kzalloc(sizeof(*cmd), GFP_KERNEL);
	int actual;

	return usb_bulk_msg(st->udev, usb_sndbulkpipe(st->udev, 1), cmd, sizeof(*cmd), &actual, 100);
}

/* The object_is_on_stack() check picks a bounce buffer. */
static int st_checked_ok(struct st_dev *st, void *data, int len)
{
	int actual;

	if (object_is_on_stack(data))
		return -EINVAL;
	return usb_bulk_msg(st->udev, usb_sndbulkpipe(st->udev, 1), data, len, &actual, 100);
}

/*
 * A request on the stack is filled and submitted at once; its fields are tracked in this
 * function only, so other requests' buffers (kmalloc'ed here) do not mix with it.
 */
struct st_req {
	void *buf;
	int len;
};

static void st_submit_req(struct st_dev *st, struct st_req *req)
{
	int actual;

	usb_bulk_msg(st->udev, usb_sndbulkpipe(st->udev, 1), req->buf, req->len, &actual, 100);
}

static void st_local_request_bad(struct st_dev *st)
{
	u8 data[4];
	struct st_req req = { .buf = data, .len = 4 };
	int actual;

	usb_bulk_msg(st->udev, usb_sndbulkpipe(st->udev, 1), req.buf, req.len, &actual, 100); // expect: stack-dma
}

static void st_heap_request_ok(struct st_dev *st)
{
	struct st_req req;

	req.buf = kmalloc(4, GFP_KERNEL);
	req.len = 4;
	st_submit_req(st, &req);
}

/* A field of a heap object stored with kmalloc memory just before the mapping. */
static void st_latest_store_ok(struct st_dev *st, struct st_req *req)
{
	int actual;

	req->buf = kzalloc(16, GFP_KERNEL);
	usb_bulk_msg(st->udev, usb_sndbulkpipe(st->udev, 1), req->buf, 16, &actual, 100);
}

/* A local request passed by pointer: its members are not followed into the callee. */
static void st_local_request_to_helper_bad(struct st_dev *st)
{
	u8 data[4];
	struct st_req req = { .buf = data, .len = 4 };

	st_submit_req(st, &req); // limitation: stack-dma: members of a local struct are tracked in its function only
}

/*
 * A helper that resolves vmalloc addresses with vmalloc_to_page() handles a vmapped stack too
 * (CONFIG_VMAP_STACK stacks are vmalloc memory, docs/kernel-facts.md §5.4).
 */
static phys_addr_t st_addr_of(void *p)
{
	if (is_vmalloc_addr(p))
		return page_to_phys(vmalloc_to_page(p)) + offset_in_page(p);
	return __pa(p);
}

static phys_addr_t st_vmalloc_aware_ok(void)
{
	u8 tmp[16];

	return st_addr_of(tmp);
}

/*
 * A physical address of a stack buffer for firmware: wrong only with CONFIG_VMAP_STACK, and in
 * practice done by code for arches without it; not reported (dma-sinks.tsv).
 */
static phys_addr_t st_firmware_arg_ok(void)
{
	u32 args[4] = { 1, 2, 3, 4 };

	return virt_to_phys(args);
}

/* A zero-length packet is never mapped (6.1 drivers/usb/core/hcd.c:1455), whatever its buffer. */
static void st_zero_length_ok(struct st_dev *st, void (*done)(struct urb *))
{
	u8 zero = 0;

	usb_fill_bulk_urb(st->urb, st->udev, usb_sndbulkpipe(st->udev, 1), &zero, 0, done, st);
}
