//! The client side of Cognito's variant of SRP-6a (`USER_SRP_AUTH`): the password never leaves
//! the machine; the client proves it knows it by signing Cognito's secret block with a key both
//! sides derive from the SRP shared secret.
//!
//! Written here rather than taken from a crate: the variant is small and fixed (the 3072-bit
//! group of RFC 3526 with g = 2; k = H(N | g); x = H(salt | H(pool | user | ":" | password));
//! the key is HKDF-SHA256 of S salted with u, info "Caldera Derived Key", 16 bytes), the Cognito
//! SRP crates pull in their own hash and random stacks, and `ring` (already linked for TLS)
//! provides SHA-256, HMAC and the random source. Big integers come from `num-bigint`.
//! Numbers are hashed as Cognito's own libraries hash them: big-endian, with a leading zero
//! byte when the top bit is set. The tests check all of it against AWS's published vectors.

use std::sync::OnceLock;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use num_bigint::BigUint;
use ring::{digest, hmac};

/// RFC 3526's 3072-bit MODP prime, the group Cognito uses.
const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05",
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB",
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718",
    "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33",
    "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864",
    "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2",
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/// The HKDF `info` Cognito uses for the password key.
const DERIVED_KEY_INFO: &[u8] = b"Caldera Derived Key";

/// As many random bytes for the private value `a` as AWS's own SDKs use.
const PRIVATE_BYTES: usize = 128;

struct Group {
    n: BigUint,
    g: BigUint,
    k: BigUint,
}

fn group() -> &'static Group {
    static GROUP: OnceLock<Group> = OnceLock::new();
    GROUP.get_or_init(|| {
        let n = BigUint::parse_bytes(N_HEX.as_bytes(), 16).expect("N is valid hex");
        let g = BigUint::from(2u32);
        let k = hash_to_int(&[&padded(&n), &padded(&g)]);
        Group { n, g, k }
    })
}

/// A number as Cognito hashes it: big-endian, with a zero byte in front when the top bit is
/// set, as the hex of a positive two's-complement integer would be.
fn padded(value: &BigUint) -> Vec<u8> {
    let mut bytes = value.to_bytes_be();
    if bytes[0] & 0x80 != 0 {
        bytes.insert(0, 0);
    }
    bytes
}

fn sha256(parts: &[&[u8]]) -> digest::Digest {
    let mut context = digest::Context::new(&digest::SHA256);
    for part in parts {
        context.update(part);
    }
    context.finish()
}

fn hash_to_int(parts: &[&[u8]]) -> BigUint {
    BigUint::from_bytes_be(sha256(parts).as_ref())
}

/// A hex number from Cognito (`SRP_B`, `SALT`).
pub(crate) fn parse_hex(hex: &str) -> Option<BigUint> {
    BigUint::parse_bytes(hex.as_bytes(), 16)
}

/// The client's ephemeral key pair for one login: secret `a`, public `A = g^a mod N`.
pub(crate) struct Ephemeral {
    private: BigUint,
    public: BigUint,
}

impl Ephemeral {
    pub(crate) fn generate() -> Result<Self, &'static str> {
        use ring::rand::SecureRandom;
        let random = ring::rand::SystemRandom::new();
        let mut bytes = [0u8; PRIVATE_BYTES];
        loop {
            random
                .fill(&mut bytes)
                .map_err(|_| "no random numbers are available")?;
            let ephemeral = Ephemeral::from_private(BigUint::from_bytes_be(&bytes));
            // A = 0 would make the proof meaningless; astronomically unlikely, but cheap to rule out.
            if ephemeral.public != BigUint::ZERO {
                return Ok(ephemeral);
            }
        }
    }

    fn from_private(private: BigUint) -> Self {
        let group = group();
        let public = group.g.modpow(&private, &group.n);
        Ephemeral { private, public }
    }

    /// `SRP_A` as InitiateAuth takes it: lowercase hex without padding.
    pub(crate) fn public_hex(&self) -> String {
        self.public.to_str_radix(16)
    }

    /// The 16-byte key both sides derive once Cognito has sent its public value `B` and the
    /// user's salt.
    pub(crate) fn password_key(
        &self,
        pool_name: &str,
        user_id: &str,
        password: &str,
        server_public: &BigUint,
        salt: &BigUint,
    ) -> Result<[u8; 16], &'static str> {
        let Group { n, g, k } = group();
        // A server value of 0 mod N would force the shared secret to a known value.
        if (server_public % n) == BigUint::ZERO {
            return Err("Cognito sent an invalid SRP_B");
        }
        let u = hash_to_int(&[&padded(&self.public), &padded(server_public)]);
        if u == BigUint::ZERO {
            return Err("the SRP scrambling parameter is zero");
        }
        let identity = sha256(&[
            pool_name.as_bytes(),
            user_id.as_bytes(),
            b":",
            password.as_bytes(),
        ]);
        let x = hash_to_int(&[&padded(salt), identity.as_ref()]);
        // S = (B - k * g^x) ^ (a + u * x) mod N, kept non-negative.
        let kgx = (k * g.modpow(&x, n)) % n;
        let base = (server_public % n + n - kgx) % n;
        let shared = base.modpow(&(&self.private + &u * &x), n);
        Ok(hkdf_16(&padded(&u), &padded(&shared)))
    }
}

/// HKDF-SHA256 (RFC 5869) for one block, cut to the 16 bytes Cognito uses.
fn hkdf_16(salt: &[u8], input: &[u8]) -> [u8; 16] {
    let prk = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, salt), input);
    let mut info = DERIVED_KEY_INFO.to_vec();
    info.push(1);
    let okm = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, prk.as_ref()), &info);
    let mut key = [0u8; 16];
    key.copy_from_slice(&okm.as_ref()[..16]);
    key
}

/// `PASSWORD_CLAIM_SIGNATURE`: HMAC-SHA256 over pool name, user id, the decoded secret block
/// and the timestamp, keyed with the password key, in base64.
pub(crate) fn password_signature(
    key: &[u8; 16],
    pool_name: &str,
    user_id: &str,
    secret_block: &str,
    timestamp: &str,
) -> Result<String, &'static str> {
    let block = STANDARD
        .decode(secret_block)
        .map_err(|_| "Cognito sent a SECRET_BLOCK that is not base64")?;
    let mut context = hmac::Context::with_key(&hmac::Key::new(hmac::HMAC_SHA256, key));
    context.update(pool_name.as_bytes());
    context.update(user_id.as_bytes());
    context.update(&block);
    context.update(timestamp.as_bytes());
    Ok(STANDARD.encode(context.sign().as_ref()))
}

/// The `TIMESTAMP` Cognito expects: `Tue Nov 28 14:04:05 UTC 2026`, the day not padded.
pub(crate) fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%a %b %-d %H:%M:%S UTC %Y").to_string()
}

#[cfg(test)]
mod tests {
    //! The vectors are AWS's, from the unit tests of the Cognito authentication extension of
    //! the AWS SDK for .NET ("using information from a known working claim"): user `User5`,
    //! password `Password1!`, pool name `Pj8nlkpKR`, and a private value of 1023 bytes of 0x02
    //! followed by one 0x00. That test's timestamp is local midnight on 15 June 2017 on a
    //! machine on Pacific time, i.e. 07:00 UTC (checked independently in Python).

    use super::*;
    use chrono::TimeZone;

    const SALT: &str = "b704a27deb8cf5efec43a40eac5b60d2";

    fn aws_private() -> BigUint {
        let mut bytes = vec![2u8; 1024];
        bytes[1023] = 0;
        BigUint::from_bytes_be(&bytes)
    }

    #[test]
    fn k_is_the_hash_of_padded_n_and_g() {
        // Cognito's k, as hard-coded by its client libraries.
        assert_eq!(
            group().k.to_str_radix(16),
            "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"
        );
        assert_eq!(group().n.bits(), 3072);
        assert_eq!(padded(&group().n).len(), 385, "N's top bit is set");
        assert_eq!(padded(&group().g), [2]);
    }

    #[test]
    fn password_key_matches_aws() {
        let b = parse_hex(concat!(
            "8d340308265ada665b1b2c730fb65ff0b6dc746b63c2d7e9f08b8aa9306d4848268bc0c17ee4a2999173ca6",
            "2af59fd74ba5d00f16c96bea082b163f2c3a0b745455d62cb9577425b4b5d4dadba163a8e7759a7c0256795",
            "f464682770588c84e82f2c63d4701751476da8e8a7b1a131e78560fe7b56b6761fcef88dcc486f403369a0c",
            "ac2f04c25ed6d5e08b5a2f488500a0d5af4972cfa1213bfca37bbae189c8d58465b13193204f21ea01d267c",
            "7688e6e6cb5d3f5a8005db680d272308ee823816032dd2c8fc3b95b6fd0a742feb127e3d094cd002a5e6b20",
            "9415ff82f6abf50d5da43910a0336e9a6fc33dd101bf13f22f13fcb3ea3809aae4917d7c426fb8c0a894030",
            "c75d3e15f0e1078a9d89e5154391cde6111ac14fab9fa3b3a880da7dbd47fd5a055937581d26b5d225c076e",
            "82f980dcbd77b3950d270d8b622dca9c9bcd8fd6435a59b9690b3c9e2bdabf58cae3420c19066abc420145b",
            "1b66f226a6493c96588c2d53b637798fcaa573379f2251848065fe1fafb68ed5e79135e9",
        ))
        .unwrap();
        let key = aws_password_key(&b);
        assert_eq!(STANDARD.encode(key), "LmbBsy/4chqMRYOhmtmCrA==");
    }

    /// The password key of AWS's test user for the server value `b`.
    fn aws_password_key(b: &BigUint) -> [u8; 16] {
        Ephemeral::from_private(aws_private())
            .password_key(
                "Pj8nlkpKR",
                "User5",
                "Password1!",
                b,
                &parse_hex(SALT).unwrap(),
            )
            .unwrap()
    }

    #[test]
    fn password_signature_matches_aws() {
        let b = parse_hex(concat!(
            "f6c76f03232c3a93a634f5e49a74efbfffcd2b81f0dacb2bce0274ae68601b3d42a98feb96ba6a310cc2d41",
            "83edac62d571d0d220258d8753a80c4f8815a10953a21964f19c824916f46417f46d921d7956bf5c10c63e7",
            "b1c84ce6e2bc407b4e0a103a529313f439182c6450ed434d049e0d9dd5da8cf3a1d1f6f2839f55754a7b174",
            "44b8c55ff6b13bf63f61e473ad6fad9f4a1a0b2541b200de07c10296d679b36bf683245cee039842ad95790",
            "31e26cb0931ac202fe713fa2c64f920a9830722f708d5ede7ab0521363e45fb2ad0afefbd65264c39f46d0c",
            "4011e2e8dbf8d6c53764719599a359b17bcd4d7e37c76e9e68adde0dc586a29f835a2decab335a49408fbc8",
            "452d2696743f4465d12748851889d405d7287296e93f9abfb9f11806235bb588e8381a0060a174f5b0959ee",
            "dba81b94eb383e80465323b1fc85478edcca4b67403a45b73ccbdcd9eaeacebd5f2ca32c7344fdbbc15a2a3",
            "d060c2b822851a282370a8dacbbfedbc511376a6e8ad95a5ce28fc2b9c37751c8d4314b9",
        ))
        .unwrap();
        let secret_block = concat!(
            "iZY+s7lYj4/5me1dgBZ9QR0vYOoatfBhec3Rc3kqPFAGIWAwxmaoXkOR1+kEvm0Aic/CxgXe0KHTTZuyKpsMfjbo2",
            "J2YweeAtj47z6HCgVScBHeJ5il4NUhGJ6ehqWPls5ub233161UU/SxKAZYySbB8NNHIQidPNxEvBycU5gOeO9cOv4dlm3dwSRNFlg8OWJ",
            "ysI7+ZXUgSWdfUBqog90wkIfLr7HirXnd3axiqpHqAApu4Ls7JFvgXxJa74ZJLtFobED/qSc4ALtRiAPwhKkomxhSXDF1S3dD+LcTQaR0",
            "/gJY1+p1CuyTCQNBTVz5idOq8NhG/mMupKow7i54xWJp3gWCeRLMRYD5Od/b7QSgtBYZeLT2rDPb6T8oy8qScK4gq+1Ye6KmXTtmdc7XB",
            "hwtyCk4xA8YBjeXO/Gq3G+rzpqMOS9e8P/EZ1xldkcme0qYesbUiKSVO30N2lPKo3qzWyq6zFi0pINpCiWLD+qdWa9Arofsml2IYgCxZw",
            "moIRVk8vd/+UdhErVRFdOmMZWQVLki0K09UgrnvLLBcMxc4wq8myUmMivVpxg8vSaexrxGxDVnKZHgfl0jFCEWIYyMvPAspOo9bBT1l+o",
            "QlVpf6RPKWlxgE4JSiWd9LD3PMdtETsyrWv1IxtktyzGI27UVanj0gGfesM56/FNImaxh+eoTBq4fJWxvfN0FvB90Ib/ZV+oJZ3jj8pKr",
            "ZmDohutOQZqEIP5mme3UMGbkeF1zVnBuPT/Ujyb94RayMB4qvqnZap87o8gJ4iv0yp+HMAAxvPSvYJSr/dny/jEdsWM8aKU+a9+n3aMPo",
            "/97DSIyiw2E3jcorR2emlichUHqdwDg/GAACUMTmV6peecDdhuF/KNZXBF4GEsoutDzPSsaXnQ11qKejULZt//fQ/e5JzWbUVhWXBOiRr",
            "4JmbPdmWo9WIORrg/yrAlSe9RNnJOW+OCsAKLZYEHfuueUQYaxOpBTst+YQXzbwNYyX47H8nUDVXRLiA0zAoQHeTMXN8lL688MTICEUNa",
            "JW9QWjrNIaTPic0oJ6CxVM/ayd8qv28EQ9BhyyE5yEreC9y+bpUQjTwxe62H/j0NiMsE5806dhx2RzxBlEYl51hs1aqwpQ6NGn51bwZPZ",
            "5O7YitLyYdAoEdTo0hCXTKF2ITbSy8ZDv5cxQSv5zyXeHRfa/o1GSHWPawy3lYjHChVVj/ALBjpFVPJJwByQZqgXsrvuknWk7QFAi21ac",
            "Qxm/4pqPVtFNVW7yZ51FawlQu6rKKfu1kyTJ6CKlcdXuJFv/NxQLPLq/to4b0UHNaD/mymwr0GSEn9GxpVB4fjhL4L2BRxCpt4lfLtx1K",
            "MiTivUMIhrVShnrgUy2mpd/jooMsSf17GSvCYReg9dsaqvZXqbEMv6P2BX+RNXicLSfeDO9NyZhtuWZxyLJ5IlagOpVNbtGb/HCEQy+zF",
            "8ySzho6e8vHxNodJX+xwCxRyKl6wbEdSEulWgm5WaUmsfySrNqLKassfrTdKLHyWUvjbWucEFzS0ddu+Q7j5RGaZ4MO7Qf1hN57WUE7ir",
            "wXBc9UoAWI3Sggb+oDDuVKN5PMF6cL+3/yfetGX0Wrh9tk34z5pizLmOgqOqkMW5yFDqw8/pRqQA4Qo+VrpHL1a4vANgmOHw98918pFiC",
            "G5lacOQn4FmA2QGWfNxU72qy6MLPnTgN/olShAFNFgckIn2F",
        );
        let at = chrono::Utc.with_ymd_and_hms(2017, 6, 15, 7, 0, 0).unwrap();
        let key = aws_password_key(&b);
        let signature =
            password_signature(&key, "Pj8nlkpKR", "User5", secret_block, &timestamp(at)).unwrap();
        assert_eq!(signature, "QwHbbUqF6DSSepJh2QqTWDCb1XjmqaxnnW5kDn5dz7E=");
    }

    #[test]
    fn timestamps_do_not_pad_the_day() {
        let at = chrono::Utc.with_ymd_and_hms(2026, 12, 1, 4, 5, 6).unwrap();
        assert_eq!(timestamp(at), "Tue Dec 1 04:05:06 UTC 2026");
        let at = chrono::Utc.with_ymd_and_hms(2017, 6, 15, 7, 0, 0).unwrap();
        assert_eq!(timestamp(at), "Thu Jun 15 07:00:00 UTC 2017");
    }

    #[test]
    fn padding_adds_a_zero_byte_only_for_a_set_top_bit() {
        assert_eq!(padded(&BigUint::from(0x7fu32)), [0x7f]);
        assert_eq!(padded(&BigUint::from(0x80u32)), [0x00, 0x80]);
        assert_eq!(padded(&BigUint::ZERO), [0x00]);
    }

    #[test]
    fn bad_server_values_are_refused() {
        let ephemeral = Ephemeral::from_private(BigUint::from(12345u32));
        let salt = parse_hex(SALT).unwrap();
        let n = group().n.clone();
        for b in [BigUint::ZERO, n.clone(), n * 2u32] {
            assert!(ephemeral.password_key("p", "u", "pw", &b, &salt).is_err());
        }
        assert!(password_signature(&[0; 16], "p", "u", "not base64!", "t").is_err());
    }

    #[test]
    fn generated_keys_are_fresh() {
        let one = Ephemeral::generate().unwrap();
        let two = Ephemeral::generate().unwrap();
        assert_ne!(one.public_hex(), two.public_hex());
        assert_eq!(one.public, group().g.modpow(&one.private, &group().n));
    }
}
