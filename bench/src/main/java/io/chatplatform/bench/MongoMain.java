package io.chatplatform.bench;

import io.chatplatform.localstack.EmbeddedMongo;

/** The MongoDB stand-in (mongo-java-server, in memory) as its own process, so it can be pinned with the servers. */
public final class MongoMain {
    public static void main(String[] args) throws Exception {
        EmbeddedMongo mongo = EmbeddedMongo.builder().start();
        System.out.println("MONGO " + mongo.connectionString());
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the harness closes stdin
        }
        mongo.close();
        System.exit(0);
    }
}
