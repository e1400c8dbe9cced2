package dev.genq.http;

import dev.genq.error.ErrorCode;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.micronaut.json.JsonMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request line or header block over the server's limits ({@code micronaut.server.netty.max-initial-line-length},
 * {@code max-header-size}) fails in Netty's decoder, before any route exists; Micronaut would answer
 * it 413 with no cause. This handler, right after the decoder, answers 414 {@code uri_too_long} or
 * 431 {@code headers_too_large} in genq's error shape, and closes the connection: the decoder
 * discards the rest of what the client sends.
 */
@Singleton
class OversizedHeads implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
    private static final Logger LOG = LoggerFactory.getLogger(OversizedHeads.class);
    private final Refuser refuser;

    OversizedHeads(JsonMapper json) {
        this.refuser = new Refuser(body(json, ErrorCode.URI_TOO_LONG,
            "the request line (its path and query) is longer than genq accepts"),
            body(json, ErrorCode.HEADERS_TOO_LARGE, "the request's headers are larger than genq accepts"));
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new Customizer(null));
        return event.getBean();
    }

    private static byte[] body(JsonMapper json, ErrorCode code, String message) {
        try {
            return json.writeValueAsBytes(ErrorBody.of(code, message));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds the refuser to every HTTP/1 connection behind its decoder. */
    private final class Customizer implements NettyServerCustomizer {
        private final Channel channel;

        Customizer(Channel channel) {
            this.channel = channel;
        }

        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return role == ChannelRole.CONNECTION ? new Customizer(channel) : this;
        }

        @Override
        public void onStreamPipelineBuilt() {
            if (channel != null && channel.pipeline().get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null) {
                channel.pipeline().addAfter(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, "genq-oversized-heads", refuser);
            }
        }
    }

    @ChannelHandler.Sharable
    private static final class Refuser extends ChannelInboundHandlerAdapter {
        private final byte[] uriTooLong;
        private final byte[] headersTooLarge;

        Refuser(byte[] uriTooLong, byte[] headersTooLarge) {
            this.uriTooLong = uriTooLong;
            this.headersTooLarge = headersTooLarge;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request && request.decoderResult().isFailure()) {
                Throwable cause = request.decoderResult().cause();
                if (cause instanceof TooLongHttpLineException) {
                    refuse(ctx, msg, HttpResponseStatus.REQUEST_URI_TOO_LONG, uriTooLong);
                    return;
                }
                if (cause instanceof TooLongHttpHeaderException) {
                    refuse(ctx, msg, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, headersTooLarge);
                    return;
                }
            }
            ctx.fireChannelRead(msg);
        }

        private static void refuse(ChannelHandlerContext ctx, Object msg, HttpResponseStatus status, byte[] body) {
            ReferenceCountUtil.release(msg);
            LOG.info("refused a request from {}: {}", ctx.channel().remoteAddress(), status);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
