class Db {
    private static final String PASSWORD = "8Ow6dbDqI0";
    void init() { props.setProperty("password", "Violet9772#"); }
}
