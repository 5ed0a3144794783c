extension DefaultCorpus {
    /// The fixed English word tables. They take the high Zipf ranks of each word class; the
    /// invented words of `Syllables` fill the long tail. Nouns and verbs here are regular
    /// (see `Words`), and no entry belongs to the toxicity lexicon.
    enum English {
        static let nouns: [String] = """
            basket bell blanket boat book bottle bowl box bridge brush bucket button cabinet \
            candle cart chair coat coin cup desk door drawer engine fence field flag garden gate \
            glove hammer harbour hat hill horse jar jug kettle key ladder lamp lantern letter map \
            market mirror needle net notebook oar orchard oven paddle pail pan parcel path pen \
            pencil pipe plank plate pot pump quilt rope sack sail saw scarf shovel sign spoon \
            stair stool stove string table tent ticket tile tool tower tray trunk tunnel wagon \
            wall well wheel window workshop yard apple barrel beam bench blade board bolt boot \
            cellar chimney clock cord crate fiddle flask gutter helmet hinge hook kite lever loom \
            mast nail pillow plough pulley ribbon roof sandal saddle scale screw shed sleeve \
            spindle spool stamp stone tablet teapot thimble timber towel valve vase wire wrench \
            canal meadow pond road street square station lane record report ledger invoice \
            schedule recipe song story poem painting photograph ferry barge cottage garret \
            kitchen pantry attic porch balcony staircase corridor chapel granary stable barn \
            hedge orchard pier jetty lighthouse dock warehouse counter shutter curtain carpet \
            rug cushion mattress cradle trolley bicycle carriage sledge anchor compass telescope \
            microscope lens kiln forge anvil chisel mallet plane drill clamp vice ruler \
            bead button bracelet brooch buckle collar pocket apron bonnet mitten stocking
            """.split(separator: " ").map(String.init)

        static let massNouns: [String] = """
            flour salt wool clay wax oil tea honey sand linen paint glue soap resin ink twine \
            copper tin butter cream yeast barley oats rye cider vinegar mustard pepper cinnamon \
            ginger chalk charcoal lime mortar gravel straw hay timber leather canvas felt silk \
            cotton hemp tallow pitch tar varnish lacquer enamel porcelain marble slate granite
            """.split(separator: " ").map(String.init)

        static let adjectives: [String] = """
            old new small large quiet busy bright dark narrow wide heavy light warm cold green \
            blue red yellow grey brown white golden silver wooden round long short tall soft hard \
            smooth rough clean dusty early late famous local simple careful patient clever gentle \
            friendly honest modest sturdy tidy crooked curious tiny huge ancient fresh dry wet \
            sweet bitter salty quick slow steady strange rare common fine plain fancy noisy shiny \
            faded northern southern eastern western lovely cheerful serious narrow polished \
            painted carved woven folded broken mended spare hidden open closed empty crowded \
            peaceful lively handsome elegant sensible useful valuable precious cheap expensive \
            modern traditional seasonal weekly yearly famous \
            costly delicate fragile solid hollow bitter frosty sunny misty windy stormy muddy
            """.split(separator: " ").map(String.init)

        static let verbs: [String] = """
            repair paint clean polish wash fold mend sort check plant gather carve stitch sand \
            seal load count label test sketch weigh heat boil brush dust fill fix rinse smooth \
            steam stack store measure collect deliver inspect varnish sharpen soften tighten \
            loosen lift pack unpack pour press roast bake print record restore shape trace twist \
            arrange assemble borrow clear cover craft decorate design dry float guard harvest \
            join knot lacquer mark mix oil paddle pick preserve pull push rake repaint return \
            salt scrape search sew smoke spray steer strain tend thread toast turn visit wander \
            water wax weed whittle copy bundle cool dampen fasten glaze grade hoist insure \
            number order paste pickle rescue sift sprinkle stencil temper tow wrinkle
            """.split(separator: " ").map(String.init)

        static let occupations: [String] = """
            baker carpenter teacher nurse clerk engineer tanner weaver fisher glassblower \
            bookbinder surveyor potter cooper miller brewer gardener librarian printer tailor \
            cartographer clockmaker ropemaker boatbuilder beekeeper farmer shepherd blacksmith \
            mason plumber electrician pharmacist accountant journalist architect chemist botanist \
            translator musician painter photographer schoolteacher dentist veterinarian \
            cook waiter porter courier saddler chandler glazier thatcher dyer lamplighter \
            archivist geologist astronomer mechanic welder upholsterer locksmith jeweller \
            cheesemaker vintner innkeeper bellringer gamekeeper forester miner \
            stonecutter wheelwright harpist organist engraver auctioneer notary
            """.split(separator: " ").map(String.init)

        static let placeKinds = ["town", "village", "port", "market town", "city", "hamlet"]
        static let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September",
            "October", "November", "December",
        ]
        static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        static let eventKinds = [
            "Fair", "Festival", "Regatta", "Exhibition", "Race", "Concert", "Market", "Lecture",
            "Parade", "Tournament", "Show", "Gathering",
        ]
        static let hours = ["seven", "eight", "nine", "ten", "eleven", "noon", "two", "three", "four", "six"]
        static let currencies = ["crowns", "marks", "florins", "shillings"]
    }
}
