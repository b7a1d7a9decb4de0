class Db {
    private static final String PASSWORD = "Quartz9588%";
    void init() { props.setProperty("password", "#S%-S3pA#qD"); }
}
