package studio.nexus.transformations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    // The Standard Webhooks specification's example (https://github.com/standard-webhooks/standard-webhooks)
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final String TS = "1614265330";
    static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    static final Instant NOW = Instant.ofEpochSecond(1614265330);

    final WebhookSignature signature = new WebhookSignature(SECRET);

    @Test
    void matchesTheSpecificationsExample() {
        assertThat(signature.sign(ID, TS, BODY)).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assertThat(signature.verify(ID, TS, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", BODY, NOW))
                .isEqualTo(WebhookSignature.Verdict.VALID);
    }

    @Test
    void anyOfSeveralSignaturesMayMatch() {
        String header = "v1a,xyz v1,bm90IGl0 " + signature.sign(ID, TS, BODY);
        assertThat(signature.verify(ID, TS, header, BODY, NOW)).isEqualTo(WebhookSignature.Verdict.VALID);
    }

    @Test
    void refusesOtherBodiesIdsKeysAndMissingHeaders() {
        String good = signature.sign(ID, TS, BODY);
        assertThat(signature.verify(ID, TS, good, "{}".getBytes(StandardCharsets.UTF_8), NOW))
                .isEqualTo(WebhookSignature.Verdict.BAD_SIGNATURE);
        assertThat(signature.verify("msg_other", TS, good, BODY, NOW)).isEqualTo(WebhookSignature.Verdict.BAD_SIGNATURE);
        assertThat(new WebhookSignature("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]))
                .verify(ID, TS, good, BODY, NOW)).isEqualTo(WebhookSignature.Verdict.BAD_SIGNATURE);
        assertThat(signature.verify(ID, TS, null, BODY, NOW)).isEqualTo(WebhookSignature.Verdict.BAD_SIGNATURE);
        assertThat(signature.verify(ID, "soon", good, BODY, NOW)).isEqualTo(WebhookSignature.Verdict.BAD_SIGNATURE);
    }

    @Test
    void refusesTimestampsMoreThanFiveMinutesAway() {
        String good = signature.sign(ID, TS, BODY);
        assertThat(signature.verify(ID, TS, good, BODY, NOW.plusSeconds(300))).isEqualTo(WebhookSignature.Verdict.VALID);
        assertThat(signature.verify(ID, TS, good, BODY, NOW.plusSeconds(301)))
                .isEqualTo(WebhookSignature.Verdict.TIMESTAMP_OUT_OF_RANGE);
        assertThat(signature.verify(ID, TS, good, BODY, NOW.minusSeconds(301)))
                .isEqualTo(WebhookSignature.Verdict.TIMESTAMP_OUT_OF_RANGE);
    }

    @Test
    void refusesAMalformedSecret() {
        assertThatThrownBy(() -> new WebhookSignature("whsec_!!!")).isInstanceOf(IllegalArgumentException.class);
    }
}
